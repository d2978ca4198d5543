package dev.memtrace.render.spool;

import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.RegionClass;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Records written one after the other to a temporary file and read back in the same order, as many
 * times as needed: what a renderer keeps of each event until the timeline is complete, so that its
 * memory stays flat whatever the length of the log. Regions are written by value (they compare by
 * value); the strings read back are shared, so the regions a renderer keeps do not each hold a copy
 * of their file's name.
 */
public final class Spool {

  private final Path file;
  private final DataOutputStream out;
  private DataInputStream in;
  private final Map<String, String> shared = new HashMap<>();

  /** The UTF-8 bytes of the string being read back. */
  private byte[] bytes = new byte[256];

  /** A spool in a new file of {@code files}, which deletes it. */
  public Spool(TempFiles files, String name) throws IOException {
    file = files.create(name);
    out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
  }

  public DataOutputStream out() {
    return out;
  }

  /** Ends writing (the first time) and starts reading from the first record. */
  public void rewind() throws IOException {
    out.close();
    if (in != null) {
      in.close();
    }
    in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  /** The records, after {@link #rewind}. */
  public DataInputStream in() {
    return in;
  }

  public static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  public static void writeRegion(DataOutputStream out, Region r) throws IOException {
    out.writeBoolean(r != null);
    if (r == null) {
      return;
    }
    out.writeLong(r.start());
    out.writeLong(r.end());
    writeString(out, r.perms());
    out.writeLong(r.offset());
    writeString(out, r.dev());
    out.writeLong(r.inode());
    writeString(out, r.path());
    out.writeInt(r.originLine());
    out.writeByte(r.learnt() == null ? -1 : r.learnt().ordinal());
    out.writeLong(r.madeFrom());
    out.writeLong(r.madeTo());
    out.writeByte(r.segmentProt());
  }

  /**
   * A change of an event with the class the explain stage gave the region it taught (null: none):
   * read back with {@link #readClass}, then {@link #readRegion} for before and after.
   */
  private static void writeChange(DataOutputStream out, RegionClass cls, RegionChange c)
      throws IOException {
    out.writeByte(cls == null ? -1 : cls.ordinal());
    writeRegion(out, c.before());
    writeRegion(out, c.after());
  }

  /**
   * An event's changes, then its learnt changes, each list as its length and then each change with
   * its class ({@link #writeChange}).
   */
  public static void writeChanges(DataOutputStream out, AnnotatedEvent a) throws IOException {
    out.writeInt(a.changes().size());
    for (int i = 0; i < a.changes().size(); i++) {
      writeChange(out, a.classOf(i), a.changes().get(i));
    }
    out.writeInt(a.learnt().size());
    for (int i = 0; i < a.learnt().size(); i++) {
      writeChange(out, a.learntClassOf(i), a.learnt().get(i));
    }
  }

  /** The class {@link #writeChange} wrote, or null for none. */
  public RegionClass readClass() throws IOException {
    int cls = in.readByte();
    return cls < 0 ? null : RegionClass.values()[cls];
  }

  public String readString() throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (bytes.length < n) {
      bytes = new byte[Math.max(n, bytes.length * 2)];
    }
    in.readFully(bytes, 0, n);
    String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
    String known = shared.putIfAbsent(s, s);
    return known != null ? known : s;
  }

  public Region readRegion() throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    long start = in.readLong();
    long end = in.readLong();
    String perms = readString();
    long offset = in.readLong();
    String dev = readString();
    long inode = in.readLong();
    String path = readString();
    int originLine = in.readInt();
    int learnt = in.readByte();
    long madeFrom = in.readLong();
    long madeTo = in.readLong();
    int segmentProt = in.readByte();
    return new Region(
        start,
        end,
        perms,
        offset,
        dev,
        inode,
        path,
        originLine,
        learnt < 0 ? null : Region.Learnt.values()[learnt],
        madeFrom,
        madeTo,
        segmentProt);
  }

  /** Closes the streams; the file is deleted with its {@link TempFiles}. */
  public void close() throws IOException {
    try {
      out.close();
    } finally {
      if (in != null) {
        in.close();
      }
    }
  }
}
