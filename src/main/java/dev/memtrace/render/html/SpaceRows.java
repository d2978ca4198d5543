package dev.memtrace.render.html;

import dev.memtrace.render.spool.TempFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The page's row of each address space (as JSON text), made when the space ends, in no order, and
 * read back by space number: the rows wait in a temporary file, and only where each starts stays in
 * memory.
 */
final class SpaceRows {

  private final FileChannel channel;
  private long end;
  private long[] at = new long[64];
  private int[] length = new int[64];
  private int count;

  SpaceRows(TempFiles files) throws IOException {
    Path file = files.create("spaces");
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  void put(int space, String json) throws IOException {
    if (space >= at.length) {
      int n = Math.max(space + 1, at.length * 2);
      at = Arrays.copyOf(at, n);
      length = Arrays.copyOf(length, n);
    }
    ByteBuffer b = ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    at[space] = end;
    length[space] = b.remaining();
    while (b.hasRemaining()) {
      end += channel.write(b, end);
    }
    count = Math.max(count, space + 1);
  }

  int count() {
    return count;
  }

  String get(int space) throws IOException {
    if (space >= count || length[space] == 0) {
      throw new IllegalStateException("no row was made for space " + space);
    }
    ByteBuffer b = ByteBuffer.allocate(length[space]);
    long from = at[space];
    while (b.hasRemaining()) {
      int n = channel.read(b, from + b.position());
      if (n < 0) {
        throw new IOException("space row " + space + " cut short");
      }
    }
    return new String(b.array(), StandardCharsets.UTF_8);
  }

  void close() throws IOException {
    channel.close();
  }
}
