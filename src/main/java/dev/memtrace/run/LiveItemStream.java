package dev.memtrace.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A run's log lines as the bytes of an strace log, for the parser; the snapshots between them go
 * to {@code snapshots} at the point of the stream where they were taken. A live run and the replay
 * of its recording both go through this one path, so they reach the parser identically.
 */
public final class LiveItemStream extends InputStream {

  private final ItemSource source;
  private final Consumer<MapsSnapshot> snapshots;
  private byte[] current = new byte[0];
  private int pos;
  private boolean ended;

  public LiveItemStream(ItemSource source, Consumer<MapsSnapshot> snapshots) {
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
      } else if (item instanceof MapsSnapshot s) {
        snapshots.accept(s);
      }
    }
    return true;
  }
}
