package dev.datasync.deploy;

import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.ComputedObject;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.ComputedTuple;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.EvalSymbol;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.Function;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.Operator;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.PrimitiveType;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.StringInterpolatedExpression;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.Variable;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.VariableTree;
import com.bertramlabs.plugins.hcl4j.symbols.HCLArray;
import com.bertramlabs.plugins.hcl4j.symbols.HCLAttribute;
import com.bertramlabs.plugins.hcl4j.symbols.HCLBlock;
import com.bertramlabs.plugins.hcl4j.symbols.HCLValue;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A reference made by an expression: its name parts without index keys ({@code oci_streaming_stream.error["x"].id}
 * gives {@code [oci_streaming_stream, error, id]}), the line, and the for-expression variables in scope there.
 */
public record TfReference(List<String> parts, int line, Set<String> forVariables) {

    // ${ ... } inside heredocs, which hcl4j keeps as plain text.
    private static final Pattern TEMPLATE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern TRAVERSAL = Pattern.compile(
            "(?<![\\w.\"'])([A-Za-z_][\\w-]*)((?:\\.[A-Za-z_][\\w-]*|\\[[^\\]]*])*)");

    public String root() {
        return parts.get(0);
    }

    public String text() {
        return String.join(".", parts);
    }

    static List<TfReference> collect(List<Symbol> expression) {
        List<TfReference> out = new ArrayList<>();
        for (Symbol s : expression) {
            walk(s, Set.of(), out);
        }
        return out;
    }

    private static void walk(Symbol s, Set<String> scope, List<TfReference> out) {
        if (s == null || s instanceof Operator || s instanceof PrimitiveType) {
            return;
        }
        if (s instanceof ComputedTuple || s instanceof ComputedObject) {
            walkFor(s, scope, out);
            return;
        }
        if (s instanceof VariableTree tree) {
            walkTraversal(tree.getChildren(), line(tree), scope, out);
            return;
        }
        if (s instanceof Variable v) {
            out.add(new TfReference(List.of(v.getName()), line(v), scope));
            return;
        }
        if (s instanceof HCLValue value) {
            if (value.value instanceof String text && text.contains("${")) {
                collectFromTemplate(text, line(value), scope, out);
            }
            return;
        }
        if (s instanceof HCLBlock || s instanceof HCLAttribute || s instanceof HCLArray) {
            // Object literals, their attributes and tuples: keys are not references, values are.
            for (Symbol c : s.getChildren()) {
                walk(c, scope, out);
            }
            return;
        }
        for (Symbol c : s.getChildren()) {
            walk(c, scope, out);
        }
    }

    private static void walkFor(Symbol s, Set<String> scope, List<TfReference> out) {
        Set<String> inner = new HashSet<>(scope);
        List<Variable> vars = s instanceof ComputedTuple t ? t.getVariables() : ((ComputedObject) s).getVariables();
        if (vars != null) {
            vars.forEach(v -> inner.add(v.getName()));
        }
        Set<Symbol> seen = new LinkedHashSet<>(s.getChildren());
        if (s instanceof ComputedTuple t) {
            addIfPresent(seen, t.getSourceExpression(), t.getTargetExpression(), t.getConditionalExpression());
        } else {
            ComputedObject o = (ComputedObject) s;
            addIfPresent(seen, o.getSourceExpression(), o.getTargetExpression(), o.getConditionalExpression());
        }
        for (Symbol c : seen) {
            walk(c, inner, out);
        }
    }

    private static void addIfPresent(Set<Symbol> into, EvalSymbol... symbols) {
        for (EvalSymbol e : symbols) {
            if (e != null) {
                into.add(e);
            }
        }
    }

    private static void walkTraversal(List<Symbol> children, int line, Set<String> scope, List<TfReference> out) {
        List<String> parts = new ArrayList<>();
        for (Symbol c : children) {
            if (c instanceof Function f) {
                // A function call: its name is no reference, its arguments may hold some.
                for (Symbol arg : f.getChildren()) {
                    walk(arg, scope, out);
                }
                return;
            } else if (c instanceof Variable v) {
                parts.add(v.getName());
            } else if (c instanceof HCLArray index) {
                for (Symbol k : index.getChildren()) {
                    walk(k, scope, out); // index expressions such as [each.key]
                }
            } else {
                walk(c, scope, out);
            }
        }
        if (!parts.isEmpty()) {
            out.add(new TfReference(List.copyOf(parts), line, scope));
        }
    }

    private static void collectFromTemplate(String text, int line, Set<String> scope, List<TfReference> out) {
        Matcher m = TEMPLATE.matcher(text);
        while (m.find()) {
            Matcher t = TRAVERSAL.matcher(m.group(1));
            while (t.find()) {
                String head = t.group(1);
                String rest = t.group(2).replaceAll("\\[[^\\]]*]", "");
                int after = t.end();
                boolean call = after < m.group(1).length() && m.group(1).charAt(after) == '(';
                if (call) {
                    continue;
                }
                List<String> parts = new ArrayList<>();
                parts.add(head);
                for (String p : rest.split("\\.")) {
                    if (!p.isEmpty()) {
                        parts.add(p);
                    }
                }
                out.add(new TfReference(List.copyOf(parts), line, scope));
            }
        }
    }

    private static int line(Symbol s) {
        return s.getLine() == null ? 0 : s.getLine() + 1;
    }

    /**
     * Every string the expression can produce, with interpolations kept as {@code ${ref}} text: literals,
     * interpolated strings, heredocs, and the strings inside lists, function arguments and for-expressions.
     */
    static List<String> strings(List<Symbol> expression) {
        List<String> out = new ArrayList<>();
        for (Symbol s : expression) {
            collectStrings(s, out);
        }
        return out;
    }

    private static void collectStrings(Symbol s, List<String> out) {
        if (s == null) {
            return;
        }
        if (s instanceof StringInterpolatedExpression) {
            out.add(template(s));
            return;
        }
        if (s instanceof HCLValue v) {
            if (v.value instanceof String text) {
                out.add(text);
            }
            return;
        }
        Set<Symbol> children = new LinkedHashSet<>(s.getChildren());
        if (s instanceof ComputedTuple t) {
            addIfPresent(children, t.getTargetExpression());
        }
        for (Symbol c : children) {
            collectStrings(c, out);
        }
    }

    private static String template(Symbol interpolation) {
        StringBuilder b = new StringBuilder();
        for (Symbol c : interpolation.getChildren()) {
            if (c instanceof HCLValue v) {
                b.append(v.value);
            } else if (c instanceof Operator) {
                continue; // hcl4j joins the pieces of "a${b}c" with + operators
            } else if (c instanceof StringInterpolatedExpression) {
                b.append("${").append(render(c.getChildren())).append('}');
            } else {
                b.append("${").append(render(c)).append('}');
            }
        }
        return b.toString();
    }

    /** A compact text of an expression, enough for tests to compare wiring (not a faithful printer). */
    static String render(List<Symbol> expression) {
        return expression.stream().map(TfReference::render).collect(Collectors.joining(" "));
    }

    private static String render(Symbol s) {
        if (s instanceof VariableTree tree) {
            StringBuilder b = new StringBuilder();
            for (Symbol c : tree.getChildren()) {
                if (c instanceof Function f) {
                    b.append(f.getName()).append('(')
                            .append(f.getChildren().stream().map(TfReference::render).collect(Collectors.joining(", ")))
                            .append(')');
                } else if (c instanceof Variable v) {
                    if (b.length() > 0) {
                        b.append('.');
                    }
                    b.append(v.getName());
                } else if (c instanceof HCLArray index) {
                    b.append('[').append(index.getChildren().stream().map(TfReference::render)
                            .collect(Collectors.joining(", "))).append(']');
                } else {
                    b.append(render(c));
                }
            }
            return b.toString();
        }
        if (s instanceof HCLValue v) {
            return "string".equals(v.type) ? "\"" + v.value + "\"" : String.valueOf(v.value);
        }
        if (s instanceof Operator || s instanceof Variable) {
            return s.getName();
        }
        String inner = s.getChildren().stream().map(TfReference::render).collect(Collectors.joining(" "));
        return s.getClass().getSimpleName() + "(" + inner + ")";
    }
}
