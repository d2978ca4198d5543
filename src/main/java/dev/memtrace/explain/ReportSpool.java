package dev.memtrace.explain;

import dev.memtrace.timeline.RegionClass;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The reports of the address spaces that have ended, kept in a temporary file until the summary is
 * written: a log of a shell loop ends tens of thousands of spaces, and a report (its two tallies, a
 * row per class and per mapped file) is about 4.5 KB on the heap. In memory stay only the first pid
 * of each report and where it lies in the file, so that the reports can be read back in the
 * summary's order, as often as asked. The file is deleted when the JVM exits.
 */
final class ReportSpool {

  /**
   * A report under the pid the summary orders it by: where it lies in the file, or the report
   * itself when it is not kept there (a space still live at the end).
   */
  private record Entry(int firstPid, long offset, int length, SpaceReport held) {
    static Entry held(SpaceReport r) {
      return new Entry(r.pids().get(0), -1, 0, r);
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private File file;
  private RandomAccessFile data;

  void add(SpaceReport r) {
    try {
      if (data == null) {
        file = File.createTempFile("memtrace-reports-", ".bin");
        file.deleteOnExit();
        data = new RandomAccessFile(file, "rw");
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      write(new DataOutputStream(bytes), r);
      long at = data.length();
      data.seek(at);
      data.write(bytes.toByteArray());
      entries.add(new Entry(r.pids().get(0), at, bytes.size(), null));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep a space's report in a temporary file", e);
    }
  }

  /**
   * The reports kept and then extra, ordered by their first pid; each one read from the file when
   * asked for.
   */
  List<SpaceReport> with(List<SpaceReport> extra) {
    List<Entry> order = new ArrayList<>(entries);
    extra.forEach(r -> order.add(Entry.held(r)));
    order.sort(Comparator.comparingInt(Entry::firstPid));
    return new AbstractList<>() {
      @Override
      public SpaceReport get(int i) {
        Entry e = order.get(i);
        return e.held() != null ? e.held() : read(e);
      }

      @Override
      public int size() {
        return order.size();
      }
    };
  }

  private SpaceReport read(Entry e) {
    try {
      byte[] b = new byte[e.length()];
      data.seek(e.offset());
      data.readFully(b);
      return read(new DataInputStream(new ByteArrayInputStream(b)));
    } catch (IOException x) {
      throw new UncheckedIOException(
          "cannot read a space's report back from its temporary file", x);
    }
  }

  private static void write(DataOutputStream out, SpaceReport r) throws IOException {
    out.writeBoolean(r.program() != null);
    if (r.program() != null) {
      out.writeUTF(r.program());
    }
    out.writeInt(r.pids().size());
    for (int pid : r.pids()) {
      out.writeInt(pid);
    }
    write(out, r.end());
    write(out, r.peak());
    out.writeInt(r.peakLine());
    out.writeInt(r.peakTableLine());
    out.writeBoolean(r.fromModel());
    out.writeLong(r.memoryEvents());
    out.writeInt(r.notes().size());
    for (String note : r.notes()) {
      out.writeUTF(note);
    }
  }

  private static SpaceReport read(DataInputStream in) throws IOException {
    String program = in.readBoolean() ? in.readUTF() : null;
    List<Integer> pids = new ArrayList<>();
    for (int n = in.readInt(); n > 0; n--) {
      pids.add(in.readInt());
    }
    Tally end = readTally(in);
    Tally peak = readTally(in);
    int peakLine = in.readInt();
    int peakTableLine = in.readInt();
    boolean fromModel = in.readBoolean();
    long memoryEvents = in.readLong();
    List<String> notes = new ArrayList<>();
    for (int n = in.readInt(); n > 0; n--) {
      notes.add(in.readUTF());
    }
    return new SpaceReport(
        program, pids, end, peak, peakLine, peakTableLine, fromModel, memoryEvents, notes);
  }

  private static void write(DataOutputStream out, Tally t) throws IOException {
    out.writeLong(t.total());
    out.writeInt(t.regions());
    out.writeLong(t.reserved());
    out.writeInt(t.byClass().size());
    for (Map.Entry<RegionClass, Tally.Row> e : t.byClass().entrySet()) {
      out.writeInt(e.getKey().ordinal());
      write(out, e.getValue());
    }
    out.writeInt(t.byObject().size());
    for (Map.Entry<String, Tally.Row> e : t.byObject().entrySet()) {
      out.writeUTF(e.getKey());
      write(out, e.getValue());
    }
  }

  private static Tally readTally(DataInputStream in) throws IOException {
    Tally t = new Tally();
    t.total = in.readLong();
    t.regions = in.readInt();
    t.reserved = in.readLong();
    RegionClass[] classes = RegionClass.values();
    for (int n = in.readInt(); n > 0; n--) {
      t.byClass().put(classes[in.readInt()], readRow(in));
    }
    for (int n = in.readInt(); n > 0; n--) {
      t.byObject().put(in.readUTF(), readRow(in));
    }
    return t;
  }

  private static void write(DataOutputStream out, Tally.Row r) throws IOException {
    out.writeLong(r.size);
    out.writeInt(r.regions);
    out.writeLong(r.largest);
    out.writeLong(r.reserved);
  }

  private static Tally.Row readRow(DataInputStream in) throws IOException {
    Tally.Row r = new Tally.Row();
    r.size = in.readLong();
    r.regions = in.readInt();
    r.largest = in.readLong();
    r.reserved = in.readLong();
    return r;
  }
}
