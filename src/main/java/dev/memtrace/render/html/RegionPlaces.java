package dev.memtrace.render.html;

import dev.memtrace.render.spool.TempFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * By region number: the class a region is drawn in and its band on its space's axis, known only
 * once its space has ended (the axis is cut at every boundary the space ever had) and so in no
 * order; kept in a temporary file at a fixed place per region and read back in region order.
 */
final class RegionPlaces {

  /** The class's ordinal (an int), y and height (two doubles). */
  private static final int SIZE = 4 + 8 + 8;

  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer one = ByteBuffer.allocate(SIZE);
  private DataInputStream in;

  RegionPlaces(TempFiles files) throws IOException {
    file = files.create("places");
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
  }

  void put(int region, int classOrdinal, double y, double height) throws IOException {
    one.clear();
    one.putInt(classOrdinal).putDouble(y).putDouble(height).flip();
    long at = (long) region * SIZE;
    while (one.hasRemaining()) {
      at += channel.write(one, at);
    }
  }

  /** Ends writing and starts reading region 0. */
  void rewind() throws IOException {
    channel.close();
    if (in != null) {
      in.close();
    }
    in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  /** The next region's class ordinal; its y and height follow. */
  int readClass() throws IOException {
    return in.readInt();
  }

  double readDouble() throws IOException {
    return in.readDouble();
  }

  void close() throws IOException {
    try {
      channel.close();
    } finally {
      if (in != null) {
        in.close();
      }
    }
  }
}
