package eduledger.functions.courses;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.auth.Scope;
import eduledger.courses.CourseAuditLog;
import eduledger.courses.CourseAuditStore;
import eduledger.courses.CourseEventFeed;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.ResponseStyle;
import eduledger.lambda.Router;
import eduledger.lambda.Priming;
import eduledger.lambda.Services;

/** The Canvas course audit log: course events per course and per account, as compound documents. */
public final class CourseEventsHandler implements HttpFunction {
    private final Router router;

    public CourseEventsHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public CourseEventsHandler(Services services) {
        CourseAuditLog log = new CourseAuditLog(new CourseAuditStore(services.dynamo(), services.tables()),
                services.cursors(), services.settings().retention(), services.clock());
        this.router = new Router(services.authenticator(), ResponseStyle.CANVAS)
                .onRaw("GET /api/v1/audit/course/courses/{course_id}", Scope.COURSE_AUDIT_READ,
                        (request, caller) -> log.list(request, caller.integrationId(),
                                CourseEventFeed.course(request.pathParameter("course_id"))))
                .onRaw("GET /api/v1/audit/course/accounts/{account_id}", Scope.COURSE_AUDIT_READ,
                        (request, caller) -> log.list(request, caller.integrationId(),
                                CourseEventFeed.account(request.pathParameter("account_id"))));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }
}
