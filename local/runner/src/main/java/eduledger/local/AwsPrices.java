package eduledger.local;

/**
 * The published on-demand prices the cost figures use, for one region, in US dollars, as read on
 * the date below from the providers' pricing pages. Free tiers, savings plans and data transfer are
 * left out. When a price changes, change it here: nothing else holds one.
 */
final class AwsPrices {
    static final String REGION = "us-east-1";
    static final String READ_ON = "2026-11-30";
    static final String SOURCES = "https://aws.amazon.com/dynamodb/pricing/on-demand/,"
            + " https://aws.amazon.com/lambda/pricing/, https://aws.amazon.com/api-gateway/pricing/";

    /** DynamoDB on-demand, Standard table class: per million write request units. */
    static final double DYNAMODB_PER_MILLION_WRITE_UNITS = 0.625;
    /** DynamoDB on-demand, Standard table class: per million read request units. */
    static final double DYNAMODB_PER_MILLION_READ_UNITS = 0.125;
    /** DynamoDB Standard table class: per GB-month stored (past the first 25 GB). */
    static final double DYNAMODB_PER_GB_MONTH = 0.25;
    /** Lambda on x86: per GB-second of duration, the first pricing tier. */
    static final double LAMBDA_PER_GB_SECOND = 0.0000166667;
    /** Lambda: per million requests. */
    static final double LAMBDA_PER_MILLION_REQUESTS = 0.20;
    /** API Gateway HTTP APIs: per million requests, the first 300 million a month. */
    static final double HTTP_API_PER_MILLION_REQUESTS = 1.00;

    private AwsPrices() {}
}
