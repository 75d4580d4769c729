package dev.licensor.examples.server;

import dev.licensor.examples.server.api.ApiRequest;
import dev.licensor.examples.server.api.LicensorApi;
import dev.licensor.examples.server.api.Reply;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The thin Jetty 12 adapter: turns a core-API {@link Request} into an {@link ApiRequest}, asks
 * {@link LicensorApi}, writes the {@link Reply}. The body is read asynchronously (no thread
 * waits on a slow sender), bounded to the API's limit, and must arrive within the request
 * timeout; only then does a worker run the engine call. Workers are a pool of their own, not
 * Jetty's threads: calls blocked in the engine (a lock, a database connection) never keep Jetty
 * from reading new requests and starting their deadlines. Jetty's own refusals (bad URL,
 * oversize header) come through {@link Errors}, so every answer is in the API's format.
 *
 * <p>Every request has one <b>call deadline</b>, counted from when Jetty began to receive it: the
 * body read, the wait in the worker queue and the engine call (waits for a database connection
 * and for locks included) all come out of it. A request still unanswered at its deadline is
 * answered then with a typed 503 ({@code service_unavailable}) by Jetty's scheduler, whatever the
 * worker is doing; a worker that reaches a request already answered skips it. Whether an engine
 * call cut off this way took effect is unknown (every engine call is safe to repeat).
 *
 * <p>Thread-safe.
 */
final class JettyAdapter extends Handler.Abstract {
    private final LicensorApi api;
    private final Executor workers;
    private final Duration requestTimeout;
    private final Duration callDeadline;
    private final HeaderDeadline headerDeadline;

    JettyAdapter(LicensorApi api, Executor workers, Duration requestTimeout, Duration callDeadline,
                 HeaderDeadline headerDeadline) {
        super(InvocationType.NON_BLOCKING);
        this.api = api;
        this.workers = workers;
        this.requestTimeout = requestTimeout;
        this.callDeadline = callDeadline;
        this.headerDeadline = headerDeadline;
    }

    /** Declared bodies up to this size are read and dropped before a 413 (as Tomcat's maxSwallowSize). */
    static final long MAX_DRAINED_BYTES = 1024 * 1024;

    @Override
    // the futures' own callbacks (whenComplete*) answer every outcome, failures and timeouts included
    @SuppressWarnings("FutureReturnValueIgnored")
    public boolean handle(Request request, Response response, Callback whenWritten) {
        // The head is complete: its deadline ends; the next one starts once this answer is written.
        org.eclipse.jetty.io.Connection connection = request.getConnectionMetaData().getConnection();
        headerDeadline.disarm(connection);
        Callback callback = new Callback() {
            @Override
            public void succeeded() {
                headerDeadline.answered(connection); // before the next request on it can start
                whenWritten.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                whenWritten.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return whenWritten.getInvocationType();
            }
        };
        HttpURI uri = request.getHttpURI();
        String method = request.getMethod();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField f : request.getHeaders()) {
            headers.putIfAbsent(f.getName(), f.getValue());
        }
        String path = uri.getPath();
        String accept = headers.get("Accept");
        String contentType = headers.get("Content-Type");
        long declared = request.getLength();
        // The deadline counts from the request's first bytes: reading, queueing and the call.
        long left = callDeadline.toNanos() - (System.nanoTime() - request.getBeginNanoTime());
        Answer answer = new Answer(response, callback);
        Scheduler.Task timer = getServer().getScheduler().schedule(() -> answer.give(api.refusal(path, accept,
                contentType, 503, "no answer within the call deadline of " + callDeadline.toMillis() + " ms"
                        + " (the server is overloaded or its database is slow or unreachable); whether the call"
                        + " took effect is unknown, and it is safe to repeat"), true), Math.max(0, left), TimeUnit.NANOSECONDS);
        answer.timer = timer;
        if (declared > api.maxBodyBytes()) {
            Reply tooLarge = api.refusal(path, accept, contentType, 413,
                    "the body is larger than " + api.maxBodyBytes() + " bytes");
            if (declared > MAX_DRAINED_BYTES) {
                answer.give(tooLarge, true);
                return true;
            }
            // Read and drop a moderately oversize body before answering: a client still sending
            // when the connection closes gets a reset and may never read the 413.
            CompletableFuture<Void> drained = new CompletableFuture<>();
            Content.Source.consumeAll(request, Callback.from(() -> drained.complete(null), drained::completeExceptionally));
            drained.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenCompleteAsync((ignored, failure) -> answer.give(tooLarge, true), workers);
            return true;
        }
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        // Completing the future only hands over to the worker pool below: non-blocking.
        Content.Source.asByteArrayAsync(request, api.maxBodyBytes(),
                Promise.Invocable.from(InvocationType.NON_BLOCKING, read::complete, read::completeExceptionally));
        CompletableFuture<byte[]> body = read.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        body.whenComplete((bytes, failure) -> dispatch(answer, () -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                // Jetty reports a body over the limit as IllegalStateException("Max size ... exceeded").
                int status = cause instanceof TimeoutException ? 408
                        : cause instanceof IllegalStateException || cause instanceof IllegalArgumentException ? 413 : 400;
                String message = status == 408 ? "the request was not received within " + requestTimeout.toMillis() + " ms"
                        : status == 413 ? "the body is larger than " + api.maxBodyBytes() + " bytes"
                        : "the body could not be read";
                answer.give(api.refusal(path, accept, contentType, status, message), true);
                return;
            }
            if (answer.given()) {
                return; // answered at its deadline while it waited in the queue: do not start the call
            }
            Reply reply = api.handle(new ApiRequest(method, path, uri.getQuery(), headers, bytes,
                    Request.getRemoteAddr(request), request.isSecure()));
            answer.give(reply, false);
        }, () -> api.refusal(path, accept, contentType, 503, "the server is busy: every worker is taken and the"
                + " queue is full")));
        return true;
    }

    /** Runs {@code call} on a worker; a full worker queue is answered at once with {@code busy}. */
    private void dispatch(Answer answer, Runnable call, java.util.function.Supplier<Reply> busy) {
        try {
            workers.execute(call);
        } catch (RejectedExecutionException full) {
            answer.give(busy.get(), true);
        }
    }

    /**
     * The one answer a request gets: the first of the worker's reply, a refusal, or the deadline's
     * 503; later ones are dropped. Thread-safe.
     */
    private static final class Answer {
        private final Response response;
        private final Callback callback;
        private final AtomicBoolean given = new AtomicBoolean();
        volatile Scheduler.Task timer;

        Answer(Response response, Callback callback) {
            this.response = response;
            this.callback = callback;
        }

        boolean given() {
            return given.get();
        }

        void give(Reply reply, boolean close) {
            if (given.compareAndSet(false, true)) {
                Scheduler.Task t = timer;
                if (t != null) {
                    t.cancel();
                }
                write(response, callback, reply, close);
            }
        }
    }

    static void write(Response response, Callback callback, Reply reply, boolean close) {
        response.setStatus(reply.status());
        reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (close) {
            // The rest of the body was never read: do not reuse the connection.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (reply.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType() + "; charset=utf-8");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    /**
     * Jetty's error handler: answers what Jetty refuses itself (bad percent-escape, oversize
     * request line or headers, unreadable message) in the API's format instead of an HTML page.
     * A request line Jetty cannot parse at all (e.g. a bad percent-escape in the path) reaches
     * here without its path or headers, so it is answered in the default LicenseSpring JSON form.
     * Thread-safe.
     */
    static final class Errors extends ErrorHandler {
        private final LicensorApi api;

        Errors(LicensorApi api) {
            this.api = api;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Object s = request.getAttribute(ERROR_STATUS);
            int status = s instanceof Integer i ? i : 500;
            Object m = request.getAttribute(ERROR_MESSAGE);
            String path = null;
            try {
                path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
            } catch (RuntimeException unreadable) {
                // A URI Jetty could not parse: answer in the default (LicenseSpring) format.
            }
            String accept = request.getHeaders().get(HttpHeader.ACCEPT);
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            JettyAdapter.write(response, callback, api.refusal(path, accept, contentType, status,
                    m == null ? "the request could not be read" : m.toString()), false);
            return true;
        }
    }
}
