package dev.datasync.local.stack;

/** One error stream of the application: its routing class (as in Terraform's error_streams map), name and OCID. */
public record ErrorStream(String errorClass, String name, String ocid) {
}
