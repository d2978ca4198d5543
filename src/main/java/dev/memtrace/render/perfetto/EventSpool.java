package dev.memtrace.render.perfetto;

import dev.memtrace.model.Region;
import dev.memtrace.render.spool.Spool;
import dev.memtrace.render.spool.TempFiles;
import dev.memtrace.timeline.RegionClass;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Perfetto document needs of each event, kept in a temporary file until the timeline is
 * complete: the document's timestamps count from the earliest time in the log, and the process and
 * space an event belongs to are only final once the model has seen every clone. Memory then stays
 * flat whatever the length of the log. The records are a {@link Spool}'s.
 */
final class EventSpool implements AutoCloseable {

  /** One event as read back; the same object is refilled for each. */
  static final class Entry {
    int task;

    /** The id of the process handle ({@link PerfettoRenderer}), or -1 when the event has none. */
    int process;

    /** The id of the space handle, or -1 for an event the model did not see. */
    int space;

    double raw;
    double dur;
    boolean syscall;
    String name;
    String cat;

    /** The slice's {@code args} object, as JSON in UTF-8. */
    byte[] args = new byte[256];

    int argsLength;

    /** The event's own changes: class label, before, after (before or after may be null). */
    final List<RegionClass> classes = new ArrayList<>(); // null: not classed

    final List<Region> before = new ArrayList<>();
    final List<Region> after = new ArrayList<>();

    /**
     * What a snapshot taught or the ELF headers laid out just before the event: the class the
     * explain stage gave (null: none), before and after regions.
     */
    final List<RegionClass> learntClasses = new ArrayList<>();

    final List<Region> learntBefore = new ArrayList<>();

    final List<Region> learntAfter = new ArrayList<>();
  }

  private final TempFiles files = new TempFiles("memtrace-perfetto-");
  private final Spool spool;
  private DataInputStream in;

  EventSpool() throws IOException {
    spool = new Spool(files, "events");
  }

  DataOutputStream out() {
    return spool.out();
  }

  /** Ends writing; {@link #read} then gives the events back in order. */
  void rewind() throws IOException {
    spool.rewind();
    in = spool.in();
  }

  /** Fills {@code e} with the next event; false at the end. */
  boolean read(Entry e) throws IOException {
    try {
      e.task = in.readInt();
    } catch (EOFException end) {
      return false;
    }
    e.process = in.readInt();
    e.space = in.readInt();
    e.raw = in.readDouble();
    e.dur = in.readDouble();
    e.syscall = in.readBoolean();
    e.name = spool.readString();
    e.cat = spool.readString();
    e.argsLength = in.readInt();
    if (e.args.length < e.argsLength) {
      e.args = new byte[Math.max(e.argsLength, e.args.length * 2)];
    }
    in.readFully(e.args, 0, e.argsLength);
    e.classes.clear();
    e.before.clear();
    e.after.clear();
    for (int n = in.readInt(); n > 0; n--) {
      e.classes.add(spool.readClass());
      e.before.add(spool.readRegion());
      e.after.add(spool.readRegion());
    }
    e.learntClasses.clear();
    e.learntBefore.clear();
    e.learntAfter.clear();
    for (int n = in.readInt(); n > 0; n--) {
      e.learntClasses.add(spool.readClass());
      e.learntBefore.add(spool.readRegion());
      e.learntAfter.add(spool.readRegion());
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    try (files) {
      spool.close();
    }
  }
}
