package eduledger.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ErrorDetail;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.util.List;

/**
 * What one entry of a batch came to. Every batch route answers 200 with one of these per entry, in
 * the order sent, as {@code {index, status, <the route's own fields>, warnings?, errors?}}: the
 * entry's position, the status it would have had as a request of its own, what the route says
 * about it, and the warnings of an entry that was applied or the errors of one that was not.
 *
 * @param fields   the route's own fields (the stored event, the written object), possibly empty
 * @param warnings null where the route has no warnings to give
 */
public record BatchResult(
        int index, int status, ObjectNode fields, List<ErrorDetail> warnings, List<ErrorDetail> errors) {

    public BatchResult {
        fields = fields == null ? Json.object() : fields;
        errors = List.copyOf(errors);
    }

    public static BatchResult applied(int index, int status, ObjectNode fields, List<ErrorDetail> warnings) {
        return new BatchResult(index, status, fields, warnings, List.of());
    }

    public static BatchResult refused(int index, Failure failure, ObjectNode fields, List<ErrorDetail> errors) {
        return new BatchResult(index, Statuses.of(failure), fields, null, errors);
    }

    public static BatchResult refused(int index, ObjectNode fields, ServiceException e) {
        return refused(index, e.failure(), fields, e.details());
    }

    /** The 200 answer of a whole batch. */
    public static Reply reply(List<BatchResult> results) {
        ArrayNode data = Json.array();
        for (BatchResult result : results) {
            ObjectNode item = data.addObject().put("index", result.index()).put("status", result.status());
            item.setAll(result.fields());
            if (result.warnings() != null) {
                item.set("warnings", ErrorDetail.toJson(result.warnings()));
            }
            if (!result.errors().isEmpty()) {
                item.set("errors", ErrorDetail.toJson(result.errors()));
            }
        }
        return Reply.ok(data);
    }
}
