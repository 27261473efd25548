package eduledger.dynamodb.expression;

import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens by hand (no regular expressions: expressions are parsed per request). */
final class Lexer {
    private Lexer() {}

    static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                i++;
                continue;
            }
            int start = i;
            Token.Kind kind;
            if (isIdentStart(c)) {
                i++;
                while (i < n && isIdentPart(s.charAt(i))) i++;
                kind = Token.Kind.IDENT;
            } else if (c >= '0' && c <= '9') {
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
                kind = Token.Kind.NUMBER;
            } else if (c == '#' || c == ':') {
                i++;
                while (i < n && isIdentPart(s.charAt(i))) i++;
                if (i == start + 1) {
                    kind = Token.Kind.UNKNOWN;
                } else {
                    kind = c == '#' ? Token.Kind.NAME : Token.Kind.VALUE;
                }
            } else {
                i++;
                switch (c) {
                    case '(' -> kind = Token.Kind.LPAREN;
                    case ')' -> kind = Token.Kind.RPAREN;
                    case '[' -> kind = Token.Kind.LBRACKET;
                    case ']' -> kind = Token.Kind.RBRACKET;
                    case ',' -> kind = Token.Kind.COMMA;
                    case '.' -> kind = Token.Kind.DOT;
                    case '+' -> kind = Token.Kind.PLUS;
                    case '-' -> kind = Token.Kind.MINUS;
                    case '=' -> kind = Token.Kind.EQ;
                    case '<' -> {
                        if (i < n && s.charAt(i) == '=') {
                            i++;
                            kind = Token.Kind.LE;
                        } else if (i < n && s.charAt(i) == '>') {
                            i++;
                            kind = Token.Kind.NE;
                        } else {
                            kind = Token.Kind.LT;
                        }
                    }
                    case '>' -> {
                        if (i < n && s.charAt(i) == '=') {
                            i++;
                            kind = Token.Kind.GE;
                        } else {
                            kind = Token.Kind.GT;
                        }
                    }
                    default -> {
                        if (Character.isHighSurrogate(c) && i < n) i++;
                        kind = Token.Kind.UNKNOWN;
                    }
                }
            }
            out.add(new Token(kind, s.substring(start, i), start, i));
        }
        out.add(new Token(Token.Kind.EOF, "<EOF>", n, n));
        return out;
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }
}
