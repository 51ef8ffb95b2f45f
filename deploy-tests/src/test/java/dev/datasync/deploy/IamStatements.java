package dev.datasync.deploy;

import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.ComputedTuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements of every {@code oci_identity_policy} instance of a configuration, as text with the interpolations
 * kept ({@code ${oci_kms_vault.datasync.id}}), keyed by instance address: {@code oci_identity_policy.api_gateway},
 * {@code oci_identity_policy.function["populate"]}. Two expansions make them readable as IAM statements:
 * <ul>
 *   <li>{@code ${local.x}} where local.x is one plain string template ({@code local.sch_principal});</li>
 *   <li>a policy with {@code for_each} over an object-literal local ({@code var.gate ? local.map : {}} or
 *   {@code local.map}; iam.tf's {@code local.function_grants}) gives one instance per key of that local:
 *   {@code [each.key]} and {@code ${each.key}} become the key, {@code ${each.value.f}} the literal of that entry's f,
 *   and {@code statements = [for g in each.value.f : "...${g}..."]} is expanded over the strings of the entry's f.</li>
 * </ul>
 * Any other {@code for_each} or {@code each.} use fails with an AssertionError, so a new shape cannot slip past the
 * tests that read these statements unchecked.
 */
final class IamStatements {

    private static final Pattern GATED_LOCAL = Pattern.compile("^(?:var\\.\\w+ \\? )?local\\.(\\w+)(?: : HCLBlock\\(\\))?$");
    private static final Pattern EACH_VALUE = Pattern.compile("\\$\\{each\\.value\\.(\\w+)}");

    private IamStatements() {
    }

    /** Policy instance address => its statements, in file order. */
    static Map<String, List<String>> of(TfConfig tf) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (TfBlock policy : tf.resources("oci_identity_policy")) {
            TfAttribute statements = policy.attribute("statements")
                    .orElseThrow(() -> new AssertionError(policy.address() + " has no statements"));
            if (policy.attribute("for_each").isEmpty()) {
                out.put(policy.address(), expandLocals(tf, statements.strings()));
                continue;
            }
            forEachEntries(tf, policy).forEach((key, entry) ->
                    out.put(policy.address() + "[\"" + key + "\"]", expandLocals(tf, instance(policy, statements, key, entry))));
        }
        return out;
    }

    /** The statements of one policy instance; fails if the configuration has no such instance. */
    static List<String> of(TfConfig tf, String address) {
        Map<String, List<String>> all = of(tf);
        List<String> s = all.get(address);
        if (s == null) {
            throw new AssertionError(address + " is not a policy instance of the configuration; there are " + all.keySet());
        }
        return s;
    }

    /**
     * Key => fields of the object-literal local a resource's {@code for_each} iterates ({@code local.map} or
     * {@code var.gate ? local.map : {}}).
     */
    static Map<String, Map<String, TfAttribute>> forEachEntries(TfConfig tf, TfBlock resource) {
        String forEach = resource.attribute("for_each")
                .orElseThrow(() -> new AssertionError(resource.address() + " has no for_each")).text();
        Matcher m = GATED_LOCAL.matcher(forEach);
        if (!m.matches()) {
            throw new AssertionError(resource.address() + ": for_each = " + forEach
                    + " is not `local.map` or `var.gate ? local.map : {}`; IamStatements cannot expand it");
        }
        Map<String, TfAttribute> entries = tf.local(m.group(1)).entries();
        if (entries.isEmpty()) {
            throw new AssertionError("local." + m.group(1) + " (for_each of " + resource.address() + ") is not an object literal");
        }
        Map<String, Map<String, TfAttribute>> out = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            Map<String, TfAttribute> fields = value.entries();
            if (fields.isEmpty()) {
                throw new AssertionError("local." + m.group(1) + "." + key + " is not an object literal");
            }
            out.put(key, fields);
        });
        return out;
    }

    /** The statements of the instance {@code key}: the for-expression over each.value.f expanded, each.* replaced. */
    private static List<String> instance(TfBlock policy, TfAttribute statements, String key, Map<String, TfAttribute> entry) {
        List<String> templates = statements.strings();
        List<String> out = new ArrayList<>();
        if (statements.expression().size() == 1 && statements.expression().get(0) instanceof ComputedTuple t) {
            // [for g in each.value.f : "...${g}..."]
            String source = TfReference.render(t.getChildren().subList(0, 1));
            if (t.getVariables() == null || t.getVariables().size() != 1 || !source.startsWith("each.value.")) {
                throw new AssertionError(policy.where() + ": statements is a for-expression this helper does not understand: "
                        + statements.text());
            }
            String variable = "${" + t.getVariables().get(0).getName() + "}";
            TfAttribute field = entry.get(source.substring("each.value.".length()));
            if (field == null) {
                throw new AssertionError(policy.where() + ": " + source + " is not a field of entry " + key);
            }
            for (String template : templates) {
                for (String item : field.strings()) {
                    out.add(substitute(policy, template.replace(variable, item), key, entry));
                }
            }
        } else {
            for (String template : templates) {
                out.add(substitute(policy, template, key, entry));
            }
        }
        return out;
    }

    private static String substitute(TfBlock policy, String s, String key, Map<String, TfAttribute> entry) {
        String r = s.replace("[each.key]", "[\"" + key + "\"]").replace("${each.key}", key);
        Matcher m = EACH_VALUE.matcher(r);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            TfAttribute field = entry.get(m.group(1));
            String literal = field == null ? null : field.literal().orElse(null);
            if (literal == null) {
                throw new AssertionError(policy.where() + ": " + m.group() + " is not a literal field of entry " + key);
            }
            m.appendReplacement(b, Matcher.quoteReplacement(literal));
        }
        m.appendTail(b);
        r = b.toString();
        if (r.contains("each.")) {
            throw new AssertionError(policy.where() + ": a use of each this helper does not expand: " + r);
        }
        return r;
    }

    /** ${local.x} expanded where local.x is one plain string template. */
    private static List<String> expandLocals(TfConfig tf, List<String> statements) {
        List<String> out = new ArrayList<>();
        for (String s : statements) {
            for (Map.Entry<String, TfAttribute> local : tf.locals().entrySet()) {
                List<String> value = local.getValue().strings();
                if (value.size() == 1 && local.getValue().expression().size() == 1) {
                    s = s.replace("${local." + local.getKey() + "}", value.get(0));
                }
            }
            out.add(s);
        }
        return out;
    }
}
