package dev.datasync.shared.config;

/** How the functions authenticate to OCI: chosen by configuration only, never by a code branch on "local". */
public enum OciAuth {
    /** On OCI Functions; locally the SDK reads the same OCI_RESOURCE_PRINCIPAL_* environment. */
    RESOURCE_PRINCIPAL,
    /** An OCI config file with an API key (e.g. the one local-oci writes). */
    CONFIG_FILE
}
