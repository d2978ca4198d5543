package dev.memtrace.explain;

import dev.memtrace.timeline.RegionClass;

/**
 * What the explain stage knows a range of addresses was made for: its class, a short phrase ("cat's
 * 131072-byte I/O buffer"), the object it belongs to (a library path, or null), and the log line of
 * the event that made it. Tags are refined in place when a later event tells more (the reads that
 * follow an mmap show what it was for), so back-references read the latest word.
 */
public final class Tag {
  private RegionClass cls;
  private String what;
  private final String object;
  private final int line;
  private long lead;

  /** Start of the whole range the event at {@link #line} made (a reservation), -1 unknown. */
  private long base = -1;

  /** Made by {@link #withClass}: names a part of the range the originating event made. */
  private boolean part;

  /** A munmap took part of the range and left the rest. */
  private boolean cut;

  /** The block size a read or write identified this mapping as the I/O buffer of, 0 if none. */
  private long ioBlock;

  /**
   * The event that made this tag, while it waits in the explain stage's window (later events amend
   * its reasons through it); null once it has left.
   */
  Explainer.Pending origin;

  public Tag(RegionClass cls, String what, String object, int line) {
    this.cls = cls;
    this.what = what;
    this.object = object;
    this.line = line;
  }

  public RegionClass cls() {
    return cls;
  }

  public String what() {
    return what;
  }

  public String object() {
    return object;
  }

  public int line() {
    return line;
  }

  /** Bytes before the malloc chunk in this mapping (an aligned chunk's lead), 0 for none. */
  public long lead() {
    return lead;
  }

  void lead(long bytes) {
    this.lead = bytes;
  }

  /** Start of the range the originating event made: offsets are measured from here. */
  public long base() {
    return base;
  }

  void base(long start) {
    this.base = start;
  }

  /** Whether this tag names a part of what its line made (a commit, a guard, a trimmed heap). */
  public boolean part() {
    return part;
  }

  /** Whether a munmap took part of the range and left the rest. */
  public boolean cut() {
    return cut;
  }

  void cut(boolean value) {
    this.cut = value;
  }

  /** The block size a read or write identified this mapping as the I/O buffer of, 0 if none. */
  long ioBlock() {
    return ioBlock;
  }

  void ioBlock(long bytes) {
    this.ioBlock = bytes;
  }

  /** Tells more about the region: a later event showed what it is for. */
  public void refine(RegionClass newCls, String newWhat) {
    this.cls = newCls;
    this.what = newWhat;
  }

  /** The same tag with another class, for the parts of a range that changed role. */
  public Tag withClass(RegionClass newCls, String newWhat) {
    Tag t = new Tag(newCls, newWhat, object, line);
    t.base = base;
    t.part = true;
    return t;
  }

  @Override
  public String toString() {
    return what + " (" + cls.label + ", line " + line + ")";
  }
}
