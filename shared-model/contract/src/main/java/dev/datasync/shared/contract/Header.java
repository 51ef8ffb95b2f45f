package dev.datasync.shared.contract;

/** One entry of {@code targetRestApiHeaders}: {@code {"key": "...", "value": "..."}}. */
public record Header(String key, String value) {
}
