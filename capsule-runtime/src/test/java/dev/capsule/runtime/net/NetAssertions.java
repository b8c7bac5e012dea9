package dev.capsule.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Small helpers shared by the tests of this package. */
final class NetAssertions {
    /** Longer than any request in these tests; a test that needs it has hung. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private NetAssertions() {}

    static HttpOutcome await(CompletableFuture<HttpOutcome> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("no outcome: " + e, e);
        }
    }

    static HttpOutcome.Failure assertFailure(HttpOutcome outcome, FailureKind kind) {
        assertThat(outcome).isInstanceOf(HttpOutcome.Failure.class);
        HttpOutcome.Failure failure = (HttpOutcome.Failure) outcome;
        assertThat(failure.kind()).as("failure kind (message: %s)", failure.message()).isEqualTo(kind);
        assertThat(failure.message()).isNotBlank().doesNotContain("\n", "\r", "Exception", "\tat ");
        return failure;
    }

    static HttpOutcome.Response assertResponse(HttpOutcome outcome, int status) {
        assertThat(outcome).as("outcome").isInstanceOf(HttpOutcome.Response.class);
        HttpOutcome.Response response = (HttpOutcome.Response) outcome;
        assertThat(response.status()).isEqualTo(status);
        return response;
    }

    static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    /** Answers each lookup with the next scripted answer (the last one repeats) and counts lookups. */
    static final class ScriptedResolver implements Resolver {
        private final List<List<InetAddress>> answers;
        private final AtomicInteger lookups = new AtomicInteger();

        ScriptedResolver(List<List<InetAddress>> answers) {
            this.answers = List.copyOf(answers);
        }

        static ScriptedResolver always(InetAddress... addresses) {
            return new ScriptedResolver(List.of(List.of(addresses)));
        }

        /** {@code first} for the first lookup, {@code then} for every later one. */
        static ScriptedResolver rebinding(InetAddress first, InetAddress then) {
            return new ScriptedResolver(List.of(List.of(first), List.of(then)));
        }

        @Override
        public List<InetAddress> resolve(String host, Duration timeout) throws IOException {
            int call = lookups.getAndIncrement();
            return answers.get(Math.min(call, answers.size() - 1));
        }

        int lookups() {
            return lookups.get();
        }
    }
}
