package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import eduledger.json.JsonStringBytes;
import java.io.IOException;
import java.util.Map;

/**
 * A response whose body is held as the bytes it takes inside the response's JSON ({@link
 * JsonStringBytes}): {@link HttpEventJson#write} puts them in as they are, and the body as a string
 * is made only for code that asks for it (the local gateway, tests).
 */
final class EscapedBodyResponse extends APIGatewayV2HTTPResponse implements WrittenBody {
    private byte[] escaped;
    private int length;
    private String body;

    EscapedBodyResponse(int status, Map<String, String> headers, JsonStringBytes body) {
        setStatusCode(status);
        setHeaders(headers);
        setIsBase64Encoded(false);
        this.escaped = body.array();
        this.length = body.length();
    }

    @Override
    public void writeBody(JsonGenerator json) throws IOException {
        if (escaped == null) {
            if (body != null) {
                json.writeStringField("body", body);
            }
            return;
        }
        json.writeFieldName("body");
        json.writeRawUTF8String(escaped, 0, length);
    }

    @Override
    public String getBody() {
        if (body == null && escaped != null) {
            body = HttpEventJson.unescape(escaped, length);
        }
        return body;
    }

    @Override
    public void setBody(String body) {
        this.body = body;
        this.escaped = null;
    }
}
