package dev.buildcast.generator.openevent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads images with the JDK's {@link HttpClient}. Redirects are not left to the client: each
 * hop's address is checked by the {@link ImageAddressGuard} before it is requested, and at most
 * {@link RemoteImageSettings#MAX_REDIRECTS} are followed. The body is read with a cap, so an
 * endless or huge answer is cut off after the limit, not held in memory.
 */
final class HttpImageFetcher implements ImageFetcher {

  private final HttpClient client;
  private final ImageAddressGuard guard;

  HttpImageFetcher(HttpClient client, ImageAddressGuard guard) {
    this.client = client;
    this.guard = guard;
  }

  /** A client that follows no redirect by itself and sends no cookies. */
  static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).build();
  }

  @Override
  public Outcome fetch(URI address, Duration timeout, long maxBytes) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI current = address;
    for (int hop = 0; ; hop++) {
      Optional<String> refusal = guard.refusal(current);
      if (refusal.isPresent()) return new Failed("refused: " + refusal.get());
      long left = deadline - System.nanoTime();
      if (left <= 0) return new Failed("no answer within " + seconds(timeout));
      CompletableFuture<HttpResponse<byte[]>> answer;
      try {
        HttpRequest request = HttpRequest.newBuilder(current).timeout(Duration.ofNanos(left)).GET()
            .header("Accept", "image/png,image/jpeg,image/gif,image/webp,image/avif").build();
        answer = client.sendAsync(request, info -> body(info, maxBytes));
      } catch (IllegalArgumentException e) {
        // why: the client refuses some addresses URI accepts (a port past 65535, say)
        return new Failed("not an address a request can be sent to");
      }
      HttpResponse<byte[]> response;
      try {
        response = answer.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        answer.cancel(true);
        return new Failed("no answer within " + seconds(timeout));
      } catch (InterruptedException e) {
        answer.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        return new Failed(failure(e.getCause(), maxBytes, timeout));
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400 && status != 304) {
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty()) return new Failed("HTTP " + status + " without a Location");
        if (hop >= RemoteImageSettings.MAX_REDIRECTS) {
          return new Failed("more than " + RemoteImageSettings.MAX_REDIRECTS + " redirects");
        }
        try {
          current = current.resolve(new URI(location.get().strip()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
          return new Failed("HTTP " + status + " to an address that is not a URL");
        }
        continue;
      }
      if (status < 200 || status > 299) return new Failed("HTTP " + status);
      return new Fetched(response.body());
    }
  }

  /** Why a request failed, in words; "too large" from our own cap. */
  private static String failure(Throwable cause, long maxBytes, Duration timeout) {
    if (cause instanceof TooLarge) return "larger than " + maxBytes + " bytes";
    if (cause instanceof java.net.http.HttpTimeoutException) return "no answer within " + seconds(timeout);
    if (cause instanceof java.net.ConnectException) return "could not connect";
    if (cause instanceof javax.net.ssl.SSLException) return "TLS failed (" + cause.getClass().getSimpleName() + ")";
    if (cause instanceof IOException) return "the connection failed (" + cause.getClass().getSimpleName() + ")";
    return "failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
  }

  private static String seconds(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms";
  }

  /** A success's body, capped; other answers' bodies are thrown away unread. */
  private static HttpResponse.BodySubscriber<byte[]> body(HttpResponse.ResponseInfo info, long maxBytes) {
    if (info.statusCode() < 200 || info.statusCode() > 299) return HttpResponse.BodySubscribers.replacing(new byte[0]);
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > maxBytes) return new CappedBody(-1);
    return new CappedBody(maxBytes);
  }

  /** Thrown into the response's future when a body passes its cap. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("body too large");
    }
  }

  /** Collects at most {@code maxBytes}; past that it cancels the stream and fails. A negative cap fails at once. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final long maxBytes;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    CappedBody(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (maxBytes < 0) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge());
        return;
      }
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) return;
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + (long) buffer.remaining() > maxBytes) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge());
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
