package dev.datasync.deploy;

import com.bertramlabs.plugins.hcl4j.HclSymbolTree;
import com.bertramlabs.plugins.hcl4j.symbols.HCLAttribute;
import com.bertramlabs.plugins.hcl4j.symbols.HCLBlock;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every top-level block of the {@code .tf} files of one directory (a Terraform root module). */
public record TfConfig(Path directory, List<TfBlock> blocks) {

    public static TfConfig load(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".tf")).sorted().collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            throw new IOException("no .tf file in " + directory);
        }
        List<TfBlock> blocks = new ArrayList<>();
        for (Path f : files) {
            blocks.addAll(parseFile(f));
        }
        return new TfConfig(directory, List.copyOf(blocks));
    }

    static List<TfBlock> parseFile(Path file) throws IOException {
        String name = file.getFileName().toString();
        List<Symbol> symbols;
        try {
            symbols = HclSymbolTree.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IOException(name + " does not parse as HCL: " + e.getMessage(), e);
        }
        List<TfBlock> out = new ArrayList<>();
        for (Symbol s : symbols) {
            if (!(s instanceof HCLBlock b)) {
                throw new IOException(name + ":" + (s.getLine() + 1) + ": top-level attribute " + s.getName()
                        + " (only blocks are allowed at the top level)");
            }
            out.add(toBlock(b, name));
        }
        return out;
    }

    private static TfBlock toBlock(HCLBlock b, String file) {
        List<TfAttribute> attributes = new ArrayList<>();
        List<TfBlock> nested = new ArrayList<>();
        for (Symbol c : b.getChildren()) {
            if (c instanceof HCLAttribute a) {
                attributes.add(new TfAttribute(a.getName(), List.copyOf(a.getChildren()), file, a.getLine() + 1));
            } else if (c instanceof HCLBlock nb) {
                nested.add(toBlock(nb, file));
            }
        }
        List<String> names = b.blockNames;
        return new TfBlock(names.get(0), List.copyOf(names.subList(1, names.size())), List.copyOf(attributes),
                List.copyOf(nested), file, b.getLine() + 1);
    }

    public List<TfBlock> ofType(String blockType) {
        return blocks.stream().filter(b -> b.type().equals(blockType)).collect(Collectors.toList());
    }

    public List<TfBlock> resources() {
        return ofType("resource");
    }

    public List<TfBlock> dataSources() {
        return ofType("data");
    }

    public List<TfBlock> resources(String resourceType) {
        return resources().stream().filter(r -> r.labels().get(0).equals(resourceType)).collect(Collectors.toList());
    }

    public Optional<TfBlock> resource(String resourceType, String name) {
        return resources().stream().filter(r -> r.labels().equals(List.of(resourceType, name))).findFirst();
    }

    public Map<String, TfBlock> variables() {
        Map<String, TfBlock> out = new LinkedHashMap<>();
        ofType("variable").forEach(v -> out.put(v.labels().get(0), v));
        return out;
    }

    public Map<String, TfAttribute> locals() {
        Map<String, TfAttribute> out = new LinkedHashMap<>();
        ofType("locals").forEach(l -> l.attributes().forEach(a -> out.put(a.name(), a)));
        return out;
    }

    public TfAttribute local(String name) {
        TfAttribute a = locals().get(name);
        if (a == null) {
            throw new AssertionError("local." + name + " is not declared in " + directory);
        }
        return a;
    }
}
