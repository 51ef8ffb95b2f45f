package dev.datasync.deploy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Terraform block ({@code resource "t" "n" { ... }}, or a nested block such as {@code route_rules { ... }}).
 * Map-valued attributes ({@code tags = { ... }}) are attributes here, not blocks: the distinction matters
 * for the provider schema, where a nested block may not be written as an attribute and vice versa.
 */
public record TfBlock(String type, List<String> labels, List<TfAttribute> attributes, List<TfBlock> blocks,
                      String file, int line) {

    public Optional<TfAttribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public List<TfBlock> blocks(String blockType) {
        return blocks.stream().filter(b -> b.type().equals(blockType)).collect(Collectors.toList());
    }

    public Optional<TfBlock> block(String blockType) {
        return blocks(blockType).stream().findFirst();
    }

    /** {@code resource "oci_x" "name"} -> {@code oci_x.name}. */
    public String address() {
        return String.join(".", labels);
    }

    public String where() {
        return file + ":" + line;
    }
}
