package dev.datasync.deploy;

import com.bertramlabs.plugins.hcl4j.symbols.HCLAttribute;
import com.bertramlabs.plugins.hcl4j.symbols.HCLBlock;
import com.bertramlabs.plugins.hcl4j.symbols.HCLValue;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One {@code name = expression} line of a Terraform file; the expression is kept as hcl4j symbols. */
public record TfAttribute(String name, List<Symbol> expression, String file, int line) {

    /** The literal string or number when the expression is exactly one constant, else empty. */
    public Optional<String> literal() {
        if (expression.size() == 1 && expression.get(0) instanceof HCLValue value && value.value != null) {
            Object v = value.value;
            if (v instanceof Double d && d == Math.rint(d)) {
                return Optional.of(Long.toString(d.longValue()));
            }
            return Optional.of(v.toString());
        }
        return Optional.empty();
    }

    /** The entries of an object literal ({@code x = { a = ..., b = ... }}); empty for any other expression. */
    public Map<String, TfAttribute> entries() {
        Map<String, TfAttribute> out = new LinkedHashMap<>();
        if (expression.size() == 1 && expression.get(0) instanceof HCLBlock object) {
            for (Symbol c : object.getChildren()) {
                if (c instanceof HCLAttribute a) {
                    out.put(a.getName(), new TfAttribute(a.getName(), List.copyOf(a.getChildren()), file, a.getLine() + 1));
                }
            }
        }
        return out;
    }

    /** Every reference (var.x, local.y, type.name.attr, data.type.name.attr, ...) the expression makes. */
    public List<TfReference> references() {
        return TfReference.collect(expression);
    }

    /** The expression reduced to a plain text for comparisons in tests, e.g. {@code oci_kms_key.master.id}. */
    public String text() {
        return TfReference.render(expression);
    }

    /** Every string the expression can produce; interpolations appear as {@code ${ref}}. */
    public List<String> strings() {
        return TfReference.strings(expression);
    }

    public String where() {
        return file + ":" + line;
    }
}
