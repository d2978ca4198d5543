package dev.memtrace.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A run's log lines as the bytes of an strace log, for the parser; each snapshot goes to {@code
 * snapshots} just before the bytes of the line it was taken after, so the model stage has it when
 * that line's event arrives (it checks it once the call is past). A live run and the replay of its
 * recording both go through this one path, so they reach the parser identically.
 */
public final class LiveItemStream extends InputStream {

  private final ItemSource source;
  private final Consumer<LineSnapshot> snapshots;
  private byte[] current = new byte[0];
  private int pos;
  private boolean ended;

  /** A snapshot with the text of the log line it was taken after (null for an attach snapshot). */
  public record LineSnapshot(MapsSnapshot snapshot, String lineText) {}

  public LiveItemStream(ItemSource source, Consumer<LineSnapshot> snapshots) {
    this.source = source;
    this.snapshots = snapshots;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return current[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  /**
   * What is left of the current line, else 1 when another item is at hand or the end is reached (a
   * read will not wait), else 0.
   */
  @Override
  public int available() throws IOException {
    if (pos < current.length) {
      return current.length - pos;
    }
    return ended || source.peekReady() != null ? 1 : 0;
  }

  @Override
  public void close() throws IOException {
    if (source instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }

  /** Makes bytes available; false at the end. Hands out one line per read, never waits for two. */
  private boolean fill() throws IOException {
    while (pos >= current.length) {
      if (ended) {
        return false;
      }
      LiveItem item = source.next();
      if (item == null) {
        ended = true;
        return false;
      }
      if (item instanceof LiveItem.LogLine l) {
        current = (l.text() + "\n").getBytes(StandardCharsets.ISO_8859_1);
        pos = 0;
        // the snapshots taken after this line reach the pipeline before the line's event does
        while (source.peekReady() instanceof MapsSnapshot s) {
          source.next();
          snapshots.accept(new LineSnapshot(s, l.text()));
        }
      } else if (item instanceof MapsSnapshot s) {
        snapshots.accept(new LineSnapshot(s, null)); // taken before the log began (-p)
      }
    }
    return true;
  }
}
