package dev.datasync.shared.config;

import java.util.Optional;

/**
 * Where the functions' metrics go: OCI Monitoring, namespace {@value #NAMESPACE}, in {@code compartmentOcid}
 * ({@code metrics_compartment_ocid}). Without a compartment nothing is published.
 */
public record MetricsSettings(Optional<String> compartmentOcid) {

    /** The functions' metric namespace (Terraform's redrive alarm and IAM grant name it too). */
    public static final String NAMESPACE = "datasync";

    public static final MetricsSettings NONE = new MetricsSettings(Optional.empty());

    public boolean enabled() {
        return compartmentOcid.isPresent();
    }
}
