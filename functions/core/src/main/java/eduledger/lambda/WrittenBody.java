package eduledger.lambda;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** A response that writes its own {@code body} field into the response's JSON, in the form it holds it. */
interface WrittenBody {
    void writeBody(JsonGenerator json) throws IOException;
}
