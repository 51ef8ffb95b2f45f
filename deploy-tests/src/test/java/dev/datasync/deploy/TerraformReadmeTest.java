package dev.datasync.deploy;

import com.bertramlabs.plugins.hcl4j.HclSymbolTree;
import com.bertramlabs.plugins.hcl4j.symbols.HCLArray;
import com.bertramlabs.plugins.hcl4j.symbols.HCLAttribute;
import com.bertramlabs.plugins.hcl4j.symbols.HCLBlock;
import com.bertramlabs.plugins.hcl4j.symbols.HCLMap;
import com.bertramlabs.plugins.hcl4j.symbols.HCLValue;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;
import org.junit.BeforeClass;
import org.junit.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;

/**
 * terraform/README.md's tables say what variables.tf and outputs.tf declare: every variable in "## Inputs" and
 * every output in "## Outputs", once, nothing that is not declared, each with the .tf's own type, default and
 * description.
 *
 * <p>How a row is written, and how it is compared:
 * <ul>
 *   <li>The table is the first one under its heading: {@code | name | type | default | description |} for inputs,
 *   {@code | name | description |} for outputs. The name is one code span ({@code `region`}).</li>
 *   <li>type: one code span with the type constraint as Terraform spells it ({@code `string`},
 *   {@code `list(string)`}, {@code `map(string)`}, {@code `bool`}). It is parsed with hcl4j like the .tf's type
 *   and both parse trees are compared, so only spacing may differ.</li>
 *   <li>default: the word {@code required} when the variable has no default (Terraform then asks for it);
 *   otherwise one code span holding the default as an HCL value on one line: {@code `null`}, {@code `"APIKey"},
 *   {@code `90`}, {@code `["0.0.0.0/0"]}, {@code `{}`}, {@code `{ project = "x" }`}. Compared as values: both
 *   sides are parsed with hcl4j; strings compare exactly, numbers numerically (90 = 90.0), lists in order,
 *   maps/objects whatever their key order and layout; {@code null} is a value of its own, neither "required"
 *   nor the string "null".</li>
 *   <li>description: the .tf's description verbatim, written as Markdown. {@code |} is written {@code \|} (it would
 *   end the cell), and outside code spans {@code <} and {@code *} are written {@code \<} and {@code \*} (else
 *   Markdown reads an HTML tag or emphasis and does not show them): an unescaped one fails. For the comparison,
 *   backslash escapes of ASCII punctuation outside code spans (CommonMark) and {@code \|} inside them (GFM tables)
 *   are undone, runs of whitespace become one space on both sides, and then the texts must be equal.</li>
 * </ul>
 * {@link #theCheckCatchesEveryKindOfDrift()} proves each kind of drift is reported, and
 * {@link #theCheckAcceptsEquivalentRenderings()} that a different but equal rendering is not.
 */
public class TerraformReadmeTest {

    private static final List<String> INPUT_HEADER = List.of("name", "type", "default", "description");
    private static final List<String> OUTPUT_HEADER = List.of("name", "description");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern ONE_CODE_SPAN = Pattern.compile("^`([^`]+)`$");
    private static final Pattern DELIMITER_ROW = Pattern.compile("^\\|(\\s*:?-+:?\\s*\\|)+$");
    private static final Pattern UNESCAPED_MARKUP = Pattern.compile("(?<!\\\\)[<*]");
    private static final Pattern BACKSLASH_ESCAPE = Pattern.compile("\\\\([!-/:-@\\[-`{-~])");
    /** A default that is null, which hcl4j gives as a null value; a marker so that it differs from "required". */
    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static TfConfig tf;
    private static String readme;

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
        readme = Files.readString(RepoPaths.terraform().resolve("README.md"));
    }

    @Test
    public void theInputsTableListsEveryVariableWithItsTypeDefaultAndDescription() {
        assertEquals("terraform/README.md, ## Inputs, differs from variables.tf", List.of(), inputProblems(readme));
    }

    @Test
    public void theOutputsTableListsEveryOutputWithItsDescription() {
        assertEquals("terraform/README.md, ## Outputs, differs from outputs.tf", List.of(), outputProblems(readme));
    }

    @Test
    public void theCheckCatchesEveryKindOfDrift() {
        String firstVariable = tf.variables().keySet().iterator().next();
        String required = tf.variables().entrySet().stream().filter(e -> e.getValue().attribute("default").isEmpty())
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String withDefault = tf.variables().entrySet().stream().filter(e -> e.getValue().attribute("default").isPresent())
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String withMapDefault = tf.variables().entrySet().stream().filter(e -> e.getValue().attribute("default")
                        .map(d -> !d.entries().isEmpty()).orElse(false))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String firstOutput = tf.ofType("output").get(0).labels().get(0);

        Map<String, UnaryOperator<String>> drifts = new LinkedHashMap<>();
        drifts.put("a variable's row removed", md -> withRow(md, firstVariable, null));
        drifts.put("a row for an undeclared variable", md -> withRow(md, firstVariable,
                row(md, firstVariable) + "\n| `undeclared_input` | `string` | `null` | Not in variables.tf. |"));
        drifts.put("a variable listed twice", md -> withRow(md, firstVariable, row(md, firstVariable) + "\n" + row(md, firstVariable)));
        drifts.put("a type changed", md -> withCell(md, firstVariable, 1, "`set(bool)`"));
        drifts.put("a default changed", md -> withCell(md, withDefault, 2, "`\"surely not the default\"`"));
        drifts.put("one value inside a map default changed", md -> withCell(md, withMapDefault, 2,
                cells(row(md, withMapDefault)).get(2).replaceFirst("= \"", "= \"changed ")));
        drifts.put("a required variable shown with a null default", md -> withCell(md, required, 2, "`null`"));
        drifts.put("a variable with a default shown as required", md -> withCell(md, withDefault, 2, "required"));
        drifts.put("a default that is not one code span", md -> withCell(md, withDefault, 2,
                cells(row(md, withDefault)).get(2).replace("`", "")));
        drifts.put("a description changed", md -> withCell(md, firstVariable, 3,
                cells(row(md, firstVariable)).get(3) + " Changed."));
        drifts.put("an escaped asterisk or angle bracket unescaped", md -> md.replaceFirst("\\\\([*<])", "$1"));
        drifts.put("an output's row removed", md -> withRow(md, firstOutput, null));
        drifts.put("a row for an undeclared output", md -> withRow(md, firstOutput,
                row(md, firstOutput) + "\n| `undeclared_output` | Not in outputs.tf. |"));
        drifts.put("an output's description changed", md -> withCell(md, firstOutput, 1,
                cells(row(md, firstOutput)).get(1) + " Changed."));
        drifts.put("the Inputs heading renamed", md -> md.replace("\n## Inputs\n", "\n## Variables\n"));

        drifts.forEach((what, drift) -> {
            String broken = drift.apply(readme);
            assertNotEquals(what + ": the drift did not change the README, so it proves nothing", readme, broken);
            List<String> problems = new ArrayList<>(inputProblems(broken));
            problems.addAll(outputProblems(broken));
            assertFalse(what + ": not reported", problems.isEmpty());
        });
    }

    @Test
    public void theCheckAcceptsEquivalentRenderings() {
        String numeric = tf.variables().entrySet().stream().filter(e -> e.getValue().attribute("default")
                        .flatMap(TfAttribute::literal).map(l -> l.matches("\\d+")).orElse(false))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String withMapDefault = tf.variables().entrySet().stream().filter(e -> e.getValue().attribute("default")
                        .map(d -> !d.entries().isEmpty()).orElse(false))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String withList = tf.variables().entrySet().stream().filter(e -> e.getValue().attribute("type")
                        .map(t -> t.text().startsWith("List")).orElse(false))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String md = readme;
        String number = cells(row(md, numeric)).get(2);
        md = withCell(md, numeric, 2, number.replaceFirst("`$", ".0`"));
        md = withCell(md, withMapDefault, 2, cells(row(md, withMapDefault)).get(2).replace(" = ", "=").replace("{ ", "{").replace(" }", "}"));
        md = withCell(md, withList, 1, cells(row(md, withList)).get(1).replace("(", " ( ").replace(")", " )"));
        String description = cells(row(md, numeric)).get(3);
        md = withCell(md, numeric, 3, "  " + description.replace(" ", "   ") + "  ");
        assertNotEquals(readme, md);
        assertEquals(List.of(), inputProblems(md));
    }

    // ------------------------------------------------------------------------------------------------
    // The check
    // ------------------------------------------------------------------------------------------------

    static List<String> inputProblems(String markdown) {
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> rows = rowsByName(markdown, "Inputs", INPUT_HEADER, problems);
        Map<String, TfBlock> variables = tf.variables();
        compareNames(rows, variables.keySet(), "variable", "variables.tf", problems);
        variables.forEach((name, variable) -> {
            List<String> row = rows.get(name);
            if (row == null) {
                return;
            }
            String where = "variable " + name + ": ";
            TfAttribute type = variable.attribute("type").orElse(null);
            Optional<String> readmeType = codeSpan(row.get(1));
            if (type == null) {
                problems.add(where + "has no type in variables.tf");
            } else if (readmeType.isEmpty()) {
                problems.add(where + "type " + row.get(1) + " is not one code span");
            } else {
                parse(readmeType.get()).ifPresentOrElse(parsed -> {
                    if (!TfReference.render(parsed).equals(type.text())) {
                        problems.add(where + "type " + row.get(1) + " in the README, `" + terraformType(type.expression())
                                + "` in variables.tf");
                    }
                }, () -> problems.add(where + "type " + row.get(1) + " does not parse as HCL"));
            }
            compareDefault(where, variable.attribute("default"), row.get(2), problems);
            compareDescription(where, variable, row.get(3), problems);
        });
        return problems;
    }

    static List<String> outputProblems(String markdown) {
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> rows = rowsByName(markdown, "Outputs", OUTPUT_HEADER, problems);
        Map<String, TfBlock> outputs = new LinkedHashMap<>();
        tf.ofType("output").forEach(o -> outputs.put(o.labels().get(0), o));
        compareNames(rows, outputs.keySet(), "output", "outputs.tf", problems);
        outputs.forEach((name, output) -> {
            List<String> row = rows.get(name);
            if (row != null) {
                compareDescription("output " + name + ": ", output, row.get(1), problems);
            }
        });
        return problems;
    }

    private static void compareNames(Map<String, List<String>> rows, Set<String> declared, String kind,
                                     String file, List<String> problems) {
        declared.stream().filter(n -> !rows.containsKey(n))
                .forEach(n -> problems.add(kind + " " + n + " is declared in " + file + " but not in the README's table"));
        rows.keySet().stream().filter(n -> !declared.contains(n))
                .forEach(n -> problems.add(kind + " " + n + " is in the README's table but not declared in " + file));
    }

    private static void compareDefault(String where, Optional<TfAttribute> tfDefault, String cell, List<String> problems) {
        if (tfDefault.isEmpty()) {
            if (!cell.equals("required")) {
                problems.add(where + "has no default in variables.tf, so its default cell must say required, not " + cell);
            }
            return;
        }
        Object declared;
        try {
            declared = value(tfDefault.get().expression());
        } catch (IllegalArgumentException e) {
            problems.add(where + "the default in variables.tf is not a literal value: " + e.getMessage());
            return;
        }
        Optional<String> code = codeSpan(cell);
        if (code.isEmpty()) {
            problems.add(where + "default " + cell + " is not one code span (the variable has a default: `" + hcl(declared) + "`)");
            return;
        }
        Optional<List<Symbol>> parsed = parse(code.get());
        if (parsed.isEmpty()) {
            problems.add(where + "default " + cell + " does not parse as HCL");
            return;
        }
        try {
            Object shown = value(parsed.get());
            if (!shown.equals(declared)) {
                problems.add(where + "default " + cell + " in the README, `" + hcl(declared) + "` in variables.tf");
            }
        } catch (IllegalArgumentException e) {
            problems.add(where + "default " + cell + " is not a literal value (" + e.getMessage() + "); variables.tf has `" + hcl(declared) + "`");
        }
    }

    private static void compareDescription(String where, TfBlock block, String cell, List<String> problems) {
        Optional<String> declared = block.attribute("description").flatMap(TfAttribute::literal);
        if (declared.isEmpty()) {
            problems.add(where + "has no plain-string description in the .tf");
            return;
        }
        StringBuilder text = new StringBuilder();
        Matcher span = CODE_SPAN.matcher(cell);
        int at = 0;
        while (span.find()) {
            text.append(markdownText(cell.substring(at, span.start()), where, problems));
            text.append(span.group().replace("\\|", "|"));
            at = span.end();
        }
        text.append(markdownText(cell.substring(at), where, problems));
        String shown = normalise(text.toString());
        String expected = normalise(declared.get());
        if (!shown.equals(expected)) {
            problems.add(where + "description differs:\n  README: " + shown + "\n  .tf:    " + expected);
        }
    }

    /** Markdown text outside code spans: unescaped {@code <} or {@code *} is a problem; backslash escapes are undone. */
    private static String markdownText(String text, String where, List<String> problems) {
        Matcher m = UNESCAPED_MARKUP.matcher(text);
        while (m.find()) {
            problems.add(where + "unescaped '" + m.group() + "' in the description (write \\" + m.group()
                    + " so Markdown shows it): ..." + text.substring(Math.max(0, m.start() - 20), Math.min(text.length(), m.end() + 20)) + "...");
        }
        return BACKSLASH_ESCAPE.matcher(text).replaceAll("$1");
    }

    private static String normalise(String s) {
        return s.trim().replaceAll("\\s+", " ");
    }

    // ------------------------------------------------------------------------------------------------
    // Markdown tables
    // ------------------------------------------------------------------------------------------------

    /** Name => cells of the first table under "## heading"; problems for a missing table, bad rows, duplicates. */
    private static Map<String, List<String>> rowsByName(String markdown, String heading, List<String> header,
                                                        List<String> problems) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String[] lines = markdown.split("\n", -1);
        int start = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals("## " + heading)) {
                if (start >= 0) {
                    problems.add("two \"## " + heading + "\" headings");
                }
                start = i;
            }
        }
        if (start < 0) {
            problems.add("no \"## " + heading + "\" heading in terraform/README.md");
            return out;
        }
        int i = start + 1;
        while (i < lines.length && !lines[i].startsWith("|") && !lines[i].startsWith("#")) {
            i++;
        }
        if (i >= lines.length || !lines[i].startsWith("|")) {
            problems.add("no table under \"## " + heading + "\"");
            return out;
        }
        List<String> found = cells(lines[i]).stream().map(String::toLowerCase).toList();
        if (!found.equals(header)) {
            problems.add("## " + heading + ": the table's columns are " + found + ", expected " + header);
            return out;
        }
        if (i + 1 >= lines.length || !DELIMITER_ROW.matcher(lines[i + 1].strip()).matches()) {
            problems.add("## " + heading + ": the header row is not followed by a |---| row");
            return out;
        }
        for (i = i + 2; i < lines.length && lines[i].startsWith("|"); i++) {
            List<String> cells = cells(lines[i]);
            String where = "README line " + (i + 1) + ": ";
            if (cells.size() != header.size()) {
                problems.add(where + cells.size() + " cells, expected " + header.size() + " (an unescaped | ?): " + lines[i]);
                continue;
            }
            Optional<String> name = codeSpan(cells.get(0));
            if (name.isEmpty()) {
                problems.add(where + "the name " + cells.get(0) + " is not one code span");
            } else if (out.put(name.get(), cells) != null) {
                problems.add(where + name.get() + " is listed twice");
            }
        }
        return out;
    }

    /** The cells of a table row {@code | a | b |}, trimmed; {@code \|} does not split a cell. */
    static List<String> cells(String line) {
        String s = line.strip();
        if (!s.startsWith("|") || !s.endsWith("|") || s.endsWith("\\|")) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '|' && s.charAt(i - 1) != '\\') {
                out.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return out;
    }

    private static Optional<String> codeSpan(String cell) {
        Matcher m = ONE_CODE_SPAN.matcher(cell.strip());
        return m.matches() ? Optional.of(m.group(1).replace("\\|", "|")) : Optional.empty();
    }

    /** The README line of the row named {@code name} (in either table). */
    private static String row(String markdown, String name) {
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("| `" + name + "` |")) {
                return line;
            }
        }
        throw new AssertionError("no row for " + name + " in terraform/README.md");
    }

    /** The README with the row of {@code name} replaced by {@code replacement} (lines), or removed when null. */
    private static String withRow(String markdown, String name, String replacement) {
        String row = row(markdown, name);
        return replacement == null ? markdown.replace(row + "\n", "") : markdown.replace(row, replacement);
    }

    private static String withCell(String markdown, String name, int index, String content) {
        List<String> cells = new ArrayList<>(cells(row(markdown, name)));
        cells.set(index, content);
        return withRow(markdown, name, "| " + String.join(" | ", cells) + " |");
    }

    // ------------------------------------------------------------------------------------------------
    // HCL values
    // ------------------------------------------------------------------------------------------------

    /** The expression of {@code x = <text>}, parsed with hcl4j; empty when it does not parse to one expression. */
    private static Optional<List<Symbol>> parse(String text) {
        try {
            List<Symbol> symbols = HclSymbolTree.parse("x = " + text + "\n");
            if (symbols.size() == 1 && symbols.get(0) instanceof HCLAttribute a && a.getChildren().size() == 1) {
                return Optional.of(List.copyOf(a.getChildren()));
            }
        } catch (Exception e) {
            // reported by the caller
        }
        return Optional.empty();
    }

    /** A literal HCL value as Java: String, BigDecimal (no trailing zeros), Boolean, NULL, List, Map. */
    private static Object value(List<Symbol> expression) {
        if (expression.size() != 1) {
            throw new IllegalArgumentException(TfReference.render(expression));
        }
        return value(expression.get(0));
    }

    private static Object value(Symbol s) {
        if (s instanceof HCLValue v) {
            if (v.value == null) {
                return NULL;
            }
            return switch (String.valueOf(v.type)) {
                case "string" -> v.value.toString();
                case "number" -> new BigDecimal(v.value.toString()).stripTrailingZeros();
                case "boolean" -> Boolean.valueOf(v.value.toString());
                default -> throw new IllegalArgumentException("a " + v.type + " value");
            };
        }
        if (s instanceof HCLArray) {
            List<Object> out = new ArrayList<>();
            s.getChildren().forEach(c -> out.add(value(c)));
            return out;
        }
        if (s instanceof HCLBlock || s instanceof HCLMap) {
            Map<String, Object> out = new HashMap<>();
            for (Symbol c : s.getChildren()) {
                if (!(c instanceof HCLAttribute a) || a.getChildren().size() != 1) {
                    throw new IllegalArgumentException("an object with " + c);
                }
                out.put(a.getName(), value(a.getChildren().get(0)));
            }
            return out;
        }
        throw new IllegalArgumentException(s.getClass().getSimpleName() + " " + s.getName());
    }

    /** A value of {@link #value} written as one-line HCL, for messages. */
    private static String hcl(Object v) {
        if (v instanceof String str) {
            return "\"" + str.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof List<?> list) {
            return "[" + list.stream().map(TerraformReadmeTest::hcl).collect(Collectors.joining(", ")) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            return map.isEmpty() ? "{}" : "{ " + new TreeMap<>(map).entrySet().stream()
                    .map(e -> e.getKey() + " = " + hcl(e.getValue())).collect(Collectors.joining(", ")) + " }";
        }
        return String.valueOf(v);
    }

    /** A type constraint as Terraform spells it ({@code list(string)}), for messages. */
    private static String terraformType(List<Symbol> expression) {
        return expression.stream().map(t -> {
            String name = "boolean".equals(t.getName()) ? "bool" : t.getName();
            return t.getChildren().isEmpty() ? name : name + "(" + terraformType(t.getChildren()) + ")";
        }).collect(Collectors.joining(", "));
    }
}
