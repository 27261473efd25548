package eduledger.json;

import java.util.Random;

/**
 * Random text of what a JSON writer must get right, at every place in and around an eight-byte
 * step: quotes, backslashes, controls, '?' (what a lone surrogate becomes in UTF-8), characters
 * of two and three bytes, pairs of surrogates and lone ones, and any character at all.
 */
final class RandomText {
    private static final String[] PIECES = {
        "a",
        "Z",
        "0",
        " ",
        "/",
        "~",
        "\u007f",
        "\"",
        "\\",
        "?",
        "??",
        "\n",
        "\t",
        "\u0000",
        "\u001f",
        "\u0080",
        "\u00e9",
        "\u00ff",
        "\u0100",
        "\u07ff",
        "\u0800",
        "\u20ac",
        "\uffff",
        "\ud834\udd1e",
        "\udbff\udfff",
        "\ud800\udc00",
        "\ud800",
        "\udfff",
        "\udc00\ud800",
        "plain ascii text, ",
        "{\"key\":\"value\"}"
    };

    private RandomText() {}

    /** Up to 24 pieces, and on every tenth round up to 200. */
    static String next(Random random, int round) {
        StringBuilder text = new StringBuilder();
        int parts = random.nextInt(round % 10 == 0 ? 200 : 24);
        for (int p = 0; p < parts; p++) {
            if (random.nextInt(4) == 0) {
                text.append((char) random.nextInt(0x10000));
            } else {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return text.toString();
    }
}
