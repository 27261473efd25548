package eduledger.storage;

import java.io.IOException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The HTTP client under the DynamoDB clients, with one failure of the JDK's HttpURLConnection put
 * right: when the SDK aborts a call in flight because a timeout ran out, the connection being read
 * can fail with a bare RuntimeException (a NullPointerException inside the JDK) instead of an
 * IOException. The SDK passes that on untranslated, so a store that was only slow to answer became
 * a 500. As the IOException it is, the SDK reports its timeout, and the caller answers 503.
 */
public final class AbortSafeHttpClient implements SdkHttpClient {
    private final SdkHttpClient delegate;

    public AbortSafeHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest prepared = delegate.prepareRequest(request);
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

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
