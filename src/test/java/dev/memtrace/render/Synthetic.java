package dev.memtrace.render;

import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.BufferRef;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.Arg;
import dev.memtrace.trace.Args;
import dev.memtrace.trace.Prefix;
import dev.memtrace.trace.Result;
import dev.memtrace.trace.Source;
import dev.memtrace.trace.SyscallEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds annotated timelines by hand for renderer tests: a small process that maps its executable,
 * a library, a heap and a file, reads into a buffer, starts a thread and unmaps the file, with the
 * changes and explanations the earlier stages would attach.
 */
public final class Synthetic {

  private final List<AnnotatedEvent> events = new ArrayList<>();
  private int line;
  private double time = 1000.0;
  private final boolean timed;
  private final MemoryModel model = new MemoryModel();

  /**
   * A log of two anonymous mmaps the kernel keeps as one area: line 2's 12 KiB just below line 1's,
   * 0x7f0000000000 to 0x7f0000006000.
   */
  public static final String MERGED_MMAPS =
      "100 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
          + " = 0x7f0000003000\n"
          + "100 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
          + " = 0x7f0000000000\n";

  public Synthetic(boolean timed) {
    this.timed = timed;
  }

  public static Region region(long start, long end, String perms, String path) {
    return new Region(start, end, perms, 0, "00:00", 0, path, 0);
  }

  /** Adds one syscall; returns this for chaining. */
  public Synthetic call(
      int pid, String name, String args, String ret, List<RegionChange> changes, String... why) {
    line++;
    time += 0.000125;
    String text = pid + "  " + name + "(" + args + ") = " + ret;
    Long value =
        ret.startsWith("0x")
            ? Long.valueOf(Long.parseUnsignedLong(ret.substring(2), 16))
            : parseOrNull(ret);
    Result result =
        Result.of(ret, value, ret.startsWith("-1") ? "ENOENT" : null, null, null, List.of());
    Prefix prefix =
        new Prefix(pid, null, timed ? "t" : null, timed ? time : null, null, null, null);
    SyscallEvent e =
        new SyscallEvent(
            new Source("synthetic.log", line, text),
            prefix,
            name,
            args(args),
            result,
            timed ? 0.00005 : null,
            List.of(),
            SyscallEvent.Completion.COMPLETE);
    List<Explanation> ex =
        Arrays.stream(why)
            .map(
                w ->
                    new Explanation(
                        "test", w, Explanation.Basis.ARITHMETIC, List.of("line " + line)))
            .toList();
    // whose event it is, as the model tells it; the changes are the ones given
    model.apply(e);
    events.add(
        new AnnotatedEvent(
            e, changes, List.of(), null, ex, List.of(), model.who(), List.of(), null));
    return this;
  }

  /** A read whose buffer lies at the address, in the region of the class. */
  public Synthetic read(int pid, long buffer, Region in, RegionClass cls, String data) {
    call(pid, "read", "3, \"" + data + "\", 4096", String.valueOf(data.length()), List.of());
    AnnotatedEvent last = events.remove(events.size() - 1);
    events.add(
        new AnnotatedEvent(
            last.event(),
            List.of(),
            List.of(),
            new BufferRef(buffer, in, buffer - in.start(), cls),
            last.why(),
            List.of(),
            last.who(),
            List.of(),
            null));
    return this;
  }

  public List<AnnotatedEvent> events() {
    return events;
  }

  /** The standard small process: pid 100, thread 101. */
  public static List<AnnotatedEvent> process(boolean timed) {
    Region exe = region(0x55550000_0000L, 0x55550000_2000L, "r-xp", "/usr/bin/demo");
    Region heap = region(0x55550002_0000L, 0x55550004_1000L, "rw-p", "[heap]");
    Region heapBigger = region(0x55550002_0000L, 0x55550006_2000L, "rw-p", "[heap]");
    Region libc =
        region(0x7f000000_0000L, 0x7f000019_6000L, "r-xp", "/usr/lib/x86_64-linux-gnu/libc.so.6");
    Region file = region(0x7f100000_0000L, 0x7f100010_0000L, "r--s", "/tmp/data.bin");
    Region stack = region(0x7ffe0000_0000L, 0x7ffe0002_1000L, "rw-p", "[stack]");
    Region tstack = region(0x7f200000_0000L, 0x7f200080_0000L, "rw-p", "");
    return new Synthetic(timed)
        .call(
            100,
            "execve",
            "\"/usr/bin/demo\", [\"demo\"], 0x7ffe /* 3 vars */",
            "0",
            List.of(RegionChange.added(exe), RegionChange.added(stack)),
            "execve replaced the address space")
        .call(100, "brk", "NULL", "0x555500020000", List.of(), "brk(NULL) asks where the heap ends")
        .call(
            100,
            "brk",
            "0x555500041000",
            "0x555500041000",
            List.of(RegionChange.added(heap)),
            "the heap grew by 132 KiB")
        .call(
            100,
            "openat",
            "AT_FDCWD, \"/usr/lib/x86_64-linux-gnu/libc.so.6\", O_RDONLY|O_CLOEXEC",
            "3",
            List.of())
        .call(
            100,
            "mmap",
            "NULL, 1662976, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_DENYWRITE, 3, 0",
            "0x7f0000000000",
            List.of(RegionChange.added(libc)),
            "ld.so maps libc")
        .call(100, "openat", "AT_FDCWD, \"/tmp/data.bin\", O_RDONLY", "4", List.of())
        .call(
            100,
            "mmap",
            "NULL, 1048576, PROT_READ, MAP_SHARED, 4, 0",
            "0x7f1000000000",
            List.of(RegionChange.added(file)),
            "the program maps a file")
        .read(100, 0x55550002_0100L, heap, RegionClass.HEAP, "hello")
        .call(
            100,
            "mmap",
            "NULL, 8388608, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0",
            "0x7f2000000000",
            List.of(RegionChange.added(tstack)),
            "a thread stack")
        .call(
            100,
            "clone3",
            "{flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, stack=0x7f2000000000}, 88",
            "101",
            List.of())
        .call(
            101,
            "brk",
            "0x555500062000",
            "0x555500062000",
            List.of(RegionChange.changed(heap, heapBigger)),
            "the thread grew the heap")
        .call(
            100,
            "munmap",
            "0x7f1000000000, 1048576",
            "0",
            List.of(RegionChange.removed(file)),
            "the file is unmapped")
        .call(100, "exit_group", "0", "?", List.of())
        .events();
  }

  private static Long parseOrNull(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Arguments split at top-level commas; typed values are plain text. */
  public static Args args(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && (c == '{' || c == '[' || c == '(')) {
        depth++;
      } else if (!quoted && (c == '}' || c == ']' || c == ')')) {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        parts.add(cur.toString().trim());
        cur.setLength(0);
        continue;
      }
      cur.append(c);
    }
    if (!cur.isEmpty()) {
      parts.add(cur.toString().trim());
    }
    return new Args() {
      @Override
      public String text() {
        return text;
      }

      @Override
      public List<String> texts() {
        return parts;
      }

      @Override
      public Arg get(int i) {
        String t = parts.get(i);
        try {
          return new Arg.Num(t, Long.decode(t));
        } catch (NumberFormatException e) {
          return new Arg.Other(t);
        }
      }
    };
  }
}
