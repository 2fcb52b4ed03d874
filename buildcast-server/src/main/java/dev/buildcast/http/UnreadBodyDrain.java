package dev.buildcast.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Makes the answer to a request whose body was not read — a refusal (404, 405, 413, 415, 400 …)
 * answered before the body — reach the client: after the answer is written, whatever the client
 * still sends of a body of at most {@link #ALLOWANCE_BYTES} is read and discarded before the
 * exchange completes, so the connection stays open for the client's next request.
 *
 * <p>why: Jetty 12 completes an exchange with an unread body by closing the connection while the
 * client is still sending; the client's next bytes then meet a closed socket, its TCP stack resets
 * the connection, and a client that had not read the answer yet (the JDK's HttpClient, say) loses
 * it and sees no answer at all (nor did the answer say {@code Connection: close}: Jetty decides
 * to close only after it). Jetty itself only reads what has already arrived
 * ({@code HttpConfiguration.maxUnconsumedRequestContentReads}) and has no lingering close.
 *
 * <p>A body declared larger than the allowance is not read: its answer carries {@code Connection:
 * close} and the server closes after it, as HTTP allows for a request it will not read; a client
 * still sending may then see the connection reset instead of the answer (docs/protocol.md, HTTP).
 * A body of unknown length (chunked) that runs past the allowance is treated the same way, without
 * the header (the answer is already on its way).
 *
 * <p>The handler wraps the whole chain, outside {@link HostCheck}: it changes no answer, only when
 * the exchange completes.
 */
public final class UnreadBodyDrain extends Handler.Wrapper {

  /** The most bytes of an unread body read and discarded to keep the connection. */
  public static final long ALLOWANCE_BYTES = 16L * 1024 * 1024;

  public UnreadBodyDrain(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long declared = request.getLength();
    boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if (declared <= 0 && !chunked) return super.handle(request, response, callback);
    if (declared > ALLOWANCE_BYTES) {
      // why before the handler runs: only an answer not yet committed can still say so
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      return super.handle(request, response, callback);
    }
    Callback drainFirst = new DrainingCallback(request, callback);
    Request body = new BodyKeptForTheDrain(request);
    if (super.handle(body, response, drainFirst)) return true;
    // why answer here: the server's own 404 for a request no handler took would complete without the drain
    Response.writeError(body, response, drainFirst, HttpStatus.NOT_FOUND_404);
    return true;
  }

  /**
   * The request as handlers see it: a handler that gives up the body (closing its input stream
   * before the end fails the request's content) fails only its own view, so the drain can still
   * read the rest. In all else it is the request itself.
   */
  private static final class BodyKeptForTheDrain extends Request.Wrapper {
    private volatile Throwable givenUp;

    BodyKeptForTheDrain(Request request) {
      super(request);
    }

    @Override
    public Content.Chunk read() {
      Throwable failure = givenUp;
      return failure != null ? Content.Chunk.from(failure, true) : super.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
      if (givenUp != null) demandCallback.run();
      else super.demand(demandCallback);
    }

    /**
     * Leaves the body to the drain. why: Jetty's own version (called by {@code Response.writeError})
     * reads only what has arrived and, short of the end, marks the connection to be closed.
     */
    @Override
    public boolean consumeAvailable() {
      return false;
    }

    @Override
    public void fail(Throwable failure) {
      fail(failure, true);
    }

    @Override
    public void fail(Throwable failure, boolean last) {
      if (givenUp == null) givenUp = failure;
    }
  }

  /**
   * Completes the exchange once the request body has been read to its end (or failed, or passed
   * the allowance). Reads without blocking: it asks to be called back when more bytes arrive.
   */
  private static final class DrainingCallback implements Callback {
    private final Request request;
    private final Callback completion;
    private long drained;

    DrainingCallback(Request request, Callback completion) {
      this.request = request;
      this.completion = completion;
    }

    @Override
    public void succeeded() {
      drain();
    }

    @Override
    public void failed(Throwable failure) {
      completion.failed(failure);
    }

    @Override
    public InvocationType getInvocationType() {
      return completion.getInvocationType();
    }

    private void drain() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this::drain);
          return;
        }
        drained += chunk.remaining();
        chunk.release();
        // why succeed on a failed body too: the answer is written; Jetty closes a connection whose body failed
        if (chunk.isLast() || Content.Chunk.isFailure(chunk) || drained > ALLOWANCE_BYTES) {
          completion.succeeded();
          return;
        }
      }
    }
  }
}
