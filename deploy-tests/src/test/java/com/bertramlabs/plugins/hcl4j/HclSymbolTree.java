package com.bertramlabs.plugins.hcl4j;

import com.bertramlabs.plugins.hcl4j.symbols.Symbol;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

/**
 * Exposes hcl4j's raw symbol tree. {@code HCLParser.parse} evaluates expressions (variables become null,
 * interpolations lose their references), which is useless for checking references; the lexer's tree keeps
 * every block, attribute and reference. The lexer is package-private, hence this class in hcl4j's package.
 */
public final class HclSymbolTree {
    private HclSymbolTree() {
    }

    public static List<Symbol> parse(String hclText) throws IOException, HCLParserException {
        HCLLexer lexer = new HCLLexer(new StringReader(hclText));
        lexer.yylex();
        return List.copyOf(lexer.elementStack);
    }
}
