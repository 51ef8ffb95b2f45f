package dev.datasync.deploy;

import dev.datasync.deploy.Finding.Kind;
import dev.datasync.deploy.ProviderSchema.Arg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code terraform validate} would say about our configuration if the provider could be downloaded:
 * every resource and data block checked against the provider schema (unknown types, unknown or read-only
 * arguments, missing required ones, blocks written as attributes or at the wrong depth, too many blocks),
 * and every reference checked against what the module declares.
 */
public final class SchemaValidator {

    private static final Set<String> RESOURCE_META = Set.of("count", "for_each", "depends_on", "provider", "lifecycle",
            "provisioner", "connection");
    private static final Set<String> BUILT_IN_ROOTS = Set.of("each", "count", "path", "self", "terraform");

    private final ProviderSchema schema;

    public SchemaValidator(ProviderSchema schema) {
        this.schema = schema;
    }

    public List<Finding> validate(TfConfig config) {
        List<Finding> findings = new ArrayList<>();
        Declarations declared = Declarations.of(config);
        for (TfBlock block : config.blocks()) {
            switch (block.type()) {
                case "resource" -> checkTyped(block, true, findings);
                case "data" -> checkTyped(block, false, findings);
                default -> {
                }
            }
            if (block.type().equals("moved")) {
                checkMoved(block, declared, findings);
            } else {
                checkReferences(block, declared, Set.of(), findings);
            }
        }
        return findings;
    }

    // ------------------------------------------------------------------------------------------------
    // moved blocks
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code moved { from = a.old[0]  to = a.new["k"] }}: {@code from} names an address that is no longer declared
     * (Terraform refuses a move from an object still in the configuration, unless only the instance key changes),
     * {@code to} names a declared resource, and both have the same resource type. Terraform checks the first only
     * against a state at plan time; this checks it without one.
     */
    private void checkMoved(TfBlock block, Declarations declared, List<Finding> findings) {
        Optional<List<String>> from = movedAddress(block, "from", findings);
        Optional<List<String>> to = movedAddress(block, "to", findings);
        if (from.isEmpty() || to.isEmpty()) {
            return;
        }
        String fromResource = from.get().get(0) + "." + from.get().get(1);
        String toResource = to.get().get(0) + "." + to.get().get(1);
        if (!declared.resources.contains(toResource)) {
            findings.add(new Finding(Kind.UNDECLARED_RESOURCE, block.where(), "moved to " + toResource
                    + ": no such resource is declared"));
        }
        if (!from.get().get(0).equals(to.get().get(0))) {
            findings.add(new Finding(Kind.INVALID_MOVE, block.where(), "moved from " + fromResource + " to "
                    + toResource + ": the resource types differ (moving across types needs the provider's support, which"
                    + " this check does not assume)"));
        }
        if (!fromResource.equals(toResource) && declared.resources.contains(fromResource)) {
            findings.add(new Finding(Kind.INVALID_MOVE, block.where(), "moved from " + fromResource
                    + ", which is still declared"));
        }
    }

    /** The {@code type.name} parts of a moved block's from/to, or a finding when it is not a resource address. */
    private Optional<List<String>> movedAddress(TfBlock block, String name, List<Finding> findings) {
        Optional<TfAttribute> a = block.attribute(name);
        List<TfReference> refs = a.map(TfAttribute::references).orElse(List.of());
        if (refs.size() != 1 || refs.get(0).parts().size() != 2 || !schema.isResourceType(refs.get(0).root())) {
            findings.add(new Finding(Kind.INVALID_MOVE, block.where(), "moved." + name
                    + " must be one resource address (type.name, with an optional instance key)"));
            return Optional.empty();
        }
        return Optional.of(refs.get(0).parts());
    }

    // ------------------------------------------------------------------------------------------------
    // Schema
    // ------------------------------------------------------------------------------------------------

    private void checkTyped(TfBlock block, boolean resource, List<Finding> findings) {
        String type = block.labels().get(0);
        boolean known = resource ? schema.isResourceType(type) : schema.isDataSourceType(type);
        if (!known) {
            findings.add(new Finding(Kind.UNKNOWN_TYPE, block.where(), (resource ? "resource" : "data source")
                    + " type " + type + " does not exist in oracle/oci " + schema.version()));
            return;
        }
        Optional<Map<String, Arg>> args = resource ? schema.resource(type) : schema.dataSource(type);
        if (args.isEmpty()) {
            findings.add(new Finding(Kind.UNDETAILED_TYPE, block.where(), type
                    + " exists but the schema file does not detail its arguments; they are not checked"));
            return;
        }
        checkBody(block, args.get(), args.get(), type, true, findings);
    }

    private void checkBody(TfBlock block, Map<String, Arg> args, Map<String, Arg> rootArgs, String path,
                           boolean topLevel, List<Finding> findings) {
        Set<String> present = new HashSet<>();
        for (TfAttribute a : block.attributes()) {
            if (topLevel && RESOURCE_META.contains(a.name())) {
                continue;
            }
            present.add(a.name());
            Arg arg = args.get(a.name());
            if (arg == null) {
                findings.add(unknown(a.name(), a.where(), path, rootArgs));
            } else if (arg.isBlock()) {
                findings.add(new Finding(Kind.WRONG_NESTING, a.where(), path + "." + a.name()
                        + " is a nested block: write `" + a.name() + " { ... }`, not `" + a.name() + " = ...`"));
            } else if (arg.isReadOnly()) {
                findings.add(new Finding(Kind.READ_ONLY_ARGUMENT, a.where(), path + "." + a.name()
                        + " is computed by the provider and cannot be set"));
            }
        }
        Map<String, Integer> staticCounts = new HashMap<>();
        for (TfBlock nested : block.blocks()) {
            if (topLevel && RESOURCE_META.contains(nested.type())) {
                continue;
            }
            boolean dynamic = nested.type().equals("dynamic");
            String name = dynamic ? nested.labels().get(0) : nested.type();
            present.add(name);
            Arg arg = args.get(name);
            if (arg == null) {
                findings.add(unknown(name, nested.where(), path, rootArgs));
                continue;
            }
            if (!arg.isBlock()) {
                findings.add(new Finding(Kind.WRONG_NESTING, nested.where(), path + "." + name
                        + " is an argument: write `" + name + " = ...`, not a block"));
                continue;
            }
            if (arg.isReadOnly()) {
                findings.add(new Finding(Kind.READ_ONLY_ARGUMENT, nested.where(), path + "." + name
                        + " is computed by the provider and cannot be set"));
                continue;
            }
            if (dynamic) {
                Optional<TfBlock> content = nested.block("content");
                if (content.isEmpty()) {
                    findings.add(new Finding(Kind.MISSING_REQUIRED, nested.where(), "dynamic \"" + name
                            + "\" has no content block"));
                } else {
                    checkBody(content.get(), arg.nested(), rootArgs, path + "." + name, false, findings);
                }
            } else {
                staticCounts.merge(name, 1, Integer::sum);
                checkBody(nested, arg.nested(), rootArgs, path + "." + name, false, findings);
            }
        }
        staticCounts.forEach((name, count) -> {
            Integer max = args.get(name).maxItems();
            if (max != null && count > max) {
                findings.add(new Finding(Kind.WRONG_NESTING, block.where(), path + " has " + count + " `" + name
                        + "` blocks; the provider allows at most " + max));
            }
        });
        for (Arg arg : args.values()) {
            if (arg.isRequired() && !present.contains(arg.name())) {
                findings.add(new Finding(Kind.MISSING_REQUIRED, block.where(), path + " lacks required "
                        + (arg.isBlock() ? "block " : "argument ") + arg.name()));
            }
        }
    }

    /** An unknown name that the schema knows at another depth is a nesting mistake, else it is unknown. */
    private Finding unknown(String name, String where, String path, Map<String, Arg> rootArgs) {
        Optional<String> elsewhere = findPath(rootArgs, name, path.substring(0, path.indexOf('.') < 0
                ? path.length() : path.indexOf('.')));
        if (elsewhere.isPresent() && !elsewhere.get().equals(path + "." + name)) {
            return new Finding(Kind.WRONG_NESTING, where, name + " is not valid in " + path + "; the provider expects it at "
                    + elsewhere.get());
        }
        return new Finding(Kind.UNKNOWN_ARGUMENT, where, path + " has no argument or block named " + name);
    }

    private static Optional<String> findPath(Map<String, Arg> args, String name, String prefix) {
        if (args.containsKey(name) && !args.get(name).isReadOnly()) {
            return Optional.of(prefix + "." + name);
        }
        for (Arg a : args.values()) {
            if (a.isBlock()) {
                Optional<String> p = findPath(a.nested(), name, prefix + "." + a.name());
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------------
    // References
    // ------------------------------------------------------------------------------------------------

    private void checkReferences(TfBlock block, Declarations declared, Set<String> iterators, List<Finding> findings) {
        Set<String> scope = new HashSet<>(iterators);
        if (block.type().equals("dynamic")) {
            scope.add(block.attribute("iterator").flatMap(TfAttribute::literal).orElse(block.labels().get(0)));
        }
        for (TfAttribute a : block.attributes()) {
            if (a.name().equals("provider") || (block.type().equals("lifecycle") && a.name().equals("ignore_changes"))) {
                continue; // provider = oci.home names a provider alias; ignore_changes names arguments
            }
            for (TfReference ref : a.references()) {
                checkReference(ref, a.file() + ":" + ref.line(), declared, scope, findings);
            }
        }
        for (TfBlock nested : block.blocks()) {
            checkReferences(nested, declared, scope, findings);
        }
    }

    private void checkReference(TfReference ref, String where, Declarations declared, Set<String> scope,
                                List<Finding> findings) {
        String root = ref.root();
        List<String> p = ref.parts();
        if (ref.forVariables().contains(root) || scope.contains(root) || BUILT_IN_ROOTS.contains(root)) {
            return;
        }
        switch (root) {
            case "var" -> {
                if (p.size() < 2 || !declared.variables.contains(p.get(1))) {
                    findings.add(new Finding(Kind.UNDECLARED_VARIABLE, where, ref.text() + ": no variable \""
                            + (p.size() < 2 ? "" : p.get(1)) + "\" is declared"));
                }
            }
            case "local" -> {
                if (p.size() < 2 || !declared.locals.contains(p.get(1))) {
                    findings.add(new Finding(Kind.UNDECLARED_LOCAL, where, ref.text() + ": no local value \""
                            + (p.size() < 2 ? "" : p.get(1)) + "\" is declared"));
                }
            }
            case "data" -> {
                if (p.size() < 3 || !declared.dataSources.contains(p.get(1) + "." + p.get(2))) {
                    findings.add(new Finding(Kind.UNDECLARED_DATA_SOURCE, where, ref.text()
                            + ": no such data block is declared"));
                } else if (p.size() > 3) {
                    checkAttribute(schema.dataSource(p.get(1)), p.get(1), p.get(3), ref, where, findings);
                }
            }
            default -> {
                if (schema.isResourceType(root) || declared.resourceTypes.contains(root)) {
                    if (p.size() < 2 || !declared.resources.contains(root + "." + p.get(1))) {
                        findings.add(new Finding(Kind.UNDECLARED_RESOURCE, where, ref.text()
                                + ": no such resource is declared"));
                    } else if (p.size() > 2) {
                        checkAttribute(schema.resource(root), root, p.get(2), ref, where, findings);
                    }
                } else {
                    findings.add(new Finding(Kind.UNKNOWN_REFERENCE, where, ref.text()
                            + ": not a variable, local, resource, data source or iterator"));
                }
            }
        }
    }

    private static void checkAttribute(Optional<Map<String, Arg>> args, String type, String attribute,
                                       TfReference ref, String where, List<Finding> findings) {
        if (args.isPresent() && !attribute.equals("id") && !args.get().containsKey(attribute)) {
            findings.add(new Finding(Kind.UNKNOWN_ATTRIBUTE, where, ref.text() + ": " + type
                    + " has no attribute " + attribute));
        }
    }

    private record Declarations(Set<String> variables, Set<String> locals, Set<String> resources,
                                Set<String> resourceTypes, Set<String> dataSources) {
        static Declarations of(TfConfig config) {
            Set<String> resources = new HashSet<>();
            Set<String> types = new HashSet<>();
            config.resources().forEach(r -> {
                resources.add(r.address());
                types.add(r.labels().get(0));
            });
            Set<String> data = new HashSet<>();
            config.dataSources().forEach(d -> data.add(d.address()));
            return new Declarations(config.variables().keySet(), config.locals().keySet(), resources, types, data);
        }
    }
}
