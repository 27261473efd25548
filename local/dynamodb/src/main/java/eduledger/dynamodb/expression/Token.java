package eduledger.dynamodb.expression;

/** One lexical token of an expression, with its span in the source for error messages. */
record Token(Kind kind, String text, int start, int end) {
    enum Kind {
        IDENT,
        NAME,
        VALUE,
        NUMBER,
        LPAREN,
        RPAREN,
        LBRACKET,
        RBRACKET,
        COMMA,
        DOT,
        EQ,
        NE,
        LT,
        LE,
        GT,
        GE,
        PLUS,
        MINUS,
        /** A character no token starts with; it can only ever be reported as a syntax error. */
        UNKNOWN,
        EOF
    }

    boolean is(Kind k) {
        return kind == k;
    }

    /** True for an identifier spelling the given keyword, in any case. */
    boolean isKeyword(String keyword) {
        return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
    }
}
