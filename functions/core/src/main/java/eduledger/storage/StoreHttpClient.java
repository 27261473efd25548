package eduledger.storage;

import java.io.IOException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The HTTP client under the DynamoDB clients: the SDK's client on the JDK's HttpURLConnection, with
 * three of HttpURLConnection's behaviours put right.
 *
 * <p>Every DynamoDB call is a POST whose length the SDK knows, and given it, the SDK's client has
 * HttpURLConnection stream the body. Before it streams a POST on a kept-alive connection,
 * HttpURLConnection first reads that connection with a one-millisecond timeout, to find out whether
 * the server closed it (a streamed body could not be sent again): every call on a warm connection
 * then waited that millisecond, far longer than a read from DynamoDB takes to be answered on a
 * warm connection. Without the length, HttpURLConnection buffers the body instead, sends the
 * same {@code Content-Length} itself, with the body in the same write, and skips the check. A
 * buffered request that gets no answer at all on a kept-alive connection is sent once more on a new
 * one, as the SDK's own retry of an I/O failure would send it.
 *
 * <p>When the SDK aborts a call in flight because a timeout ran out, the connection being read can
 * fail with a bare RuntimeException (a NullPointerException inside the JDK) instead of an
 * IOException. The SDK passes that on untranslated, so a store that was only slow to answer became
 * a 500. As the IOException it is, the SDK reports its timeout, and the caller answers 503.
 *
 * <p>HttpURLConnection keeps at most {@code http.maxConnections} idle connections to a host for
 * reuse, 5 unless set, and closes any other as its call ends. A page of a list spread over 8
 * shards makes 8 calls at once, so three of its connections were closed after every page and three
 * new ones opened for the next, each a TLS handshake against DynamoDB. Loading this class raises
 * the bound to {@link #IDLE_CONNECTIONS} unless it was set on the command line.
 */
public final class StoreHttpClient implements SdkHttpClient {
    private static final String CONTENT_LENGTH = "Content-Length";

    /**
     * Idle connections kept per host: more than the calls a container makes at once (a page's 8
     * shard reads; the feed writers' 2).
     */
    static final int IDLE_CONNECTIONS = 16;

    static {
        // Read once, when the JVM's first connection goes idle: a client is built, and this class
        // loaded, before any store call is made.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(IDLE_CONNECTIONS));
        }
    }

    private final SdkHttpClient delegate;

    public StoreHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest prepared = delegate.prepareRequest(buffered(request));
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                try {
                    return prepared.call();
                } catch (RuntimeException e) {
                    throw new IOException("the HTTP call failed: " + e, e);
                }
            }

            @Override
            public void abort() {
                prepared.abort();
            }
        };
    }

    /** The request without its length, for HttpURLConnection to buffer (see the class comment). */
    private static HttpExecuteRequest buffered(HttpExecuteRequest request) {
        if (request.contentStreamProvider().isEmpty()
                || request.httpRequest().firstMatchingHeader(CONTENT_LENGTH).isEmpty()) {
            return request;
        }
        return HttpExecuteRequest.builder()
                .request(request.httpRequest().toBuilder()
                        .removeHeader(CONTENT_LENGTH)
                        .build())
                .contentStreamProvider(request.contentStreamProvider().get())
                .metricCollector(request.metricCollector().orElse(null))
                .build();
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
