package dev.memtrace.elf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where the files a trace names are read: this machine's file system (a live run, a log saved on
 * this host) or a copy of another machine's files under a root directory ({@code --root DIR}). Each
 * path is opened once. A relative path is taken from the directory the trace's program started in
 * when known, else from this process's working directory.
 */
public final class ElfFiles {

  /** The headers of a file and the name the kernel shows for it, or why it could not be read. */
  public record Opened(ElfFile elf, String kernelPath, String problem) {
    public boolean ok() {
      return elf != null;
    }
  }

  /**
   * One answer, as a recording carries it: how it was asked ({@link #PROGRAM} for {@link
   * #openProgram}, {@link #FILE} for {@link #open}), the path and directory asked for, and what was
   * found.
   */
  public record Answer(String kind, String path, String dir, Opened opened) {
    public String key() {
      return ElfFiles.key(kind, path, dir);
    }
  }

  public static final String PROGRAM = "program";
  public static final String FILE = "file";

  private final Path root;
  private final Path cwd;
  private final Map<String, Opened> cache = new HashMap<>();

  /** The answers a recording carried, by {@link Answer#key}; null when files are read. */
  private final Map<String, Opened> recorded;

  /** Whether an image linked at fixed addresses waits for the trace to confirm the file. */
  private final boolean needProof;

  /**
   * The files a recording's run read, by the path the kernel showed: a file read here for a replay
   * of that recording must be the same build (see {@link #expect}).
   */
  private final Map<String, ElfFile> expected = new HashMap<>();

  /** What the trace showed of the files it names: a file read must fit it. */
  private final TraceEvidence evidence = new TraceEvidence();

  /** The keys of programs answered by the interpreter a script names (see {@link #openProgram}). */
  private final Set<String> scripts = new HashSet<>();

  /** Hears each answer read from a file (a live run's recording), or null. */
  private final Consumer<Answer> listener;

  private ElfFiles(
      Path root,
      Path cwd,
      Map<String, Opened> recorded,
      boolean needProof,
      Consumer<Answer> listener) {
    this.root = root;
    this.cwd = cwd;
    this.recorded = recorded;
    this.needProof = needProof;
    this.listener = listener;
  }

  /** This machine's files. */
  public static ElfFiles local() {
    return new ElfFiles(null, Path.of("").toAbsolutePath(), null, false, null);
  }

  /** Another machine's files, copied under root. */
  public static ElfFiles under(Path root) {
    return new ElfFiles(root.toAbsolutePath(), null, null, false, null);
  }

  /**
   * What a recording carried: the answers a live run's files gave (see {@link #recordingTo}); a
   * question the recording does not answer is answered "not in the recording".
   */
  public static ElfFiles recorded(List<Answer> answers) {
    Map<String, Opened> m = new HashMap<>();
    for (Answer a : answers) {
      m.putIfAbsent(a.key(), a.opened());
    }
    return new ElfFiles(null, null, m, false, null);
  }

  /**
   * The same files, for a log whose files may not be the ones it ran: a program linked at fixed
   * addresses is placed only once the trace confirms it (ld.so's RELRO mprotect at its link address
   * with its length), as a position-independent one always is.
   */
  public ElfFiles untilProven() {
    return new ElfFiles(root, cwd, recorded, true, listener);
  }

  /** The same files; each answer read is also told to listener (to be recorded). */
  public ElfFiles recordingTo(Consumer<Answer> listener) {
    return new ElfFiles(root, cwd, recorded, needProof, listener);
  }

  public Path root() {
    return root;
  }

  /** Whether an image linked at fixed addresses waits for the trace to confirm its file. */
  public boolean needProof() {
    return needProof;
  }

  /**
   * The file a relative path is read from when the trace does not show the directory it was run in,
   * for a log read after the run ({@link #untilProven}): the reading process's own directory stands
   * in for it, which is the traced one only when the log is read where it was made; null when no
   * such guess is made.
   */
  public Path guessedFrom(String path, String dir) {
    boolean guessed =
        needProof
            && root == null
            && recorded == null
            && cwd != null
            && path != null
            && !path.startsWith("/")
            && (dir == null || !dir.startsWith("/"));
    return guessed ? cwd.resolve(path).normalize() : null;
  }

  /**
   * The trace showed the size of a regular file (a stat or fstat of it): a file read for that path
   * must have that size. The path is absolute, as the trace named it.
   */
  public synchronized void traceShowsSize(String path, long size) {
    evidence.size(path, size);
  }

  /**
   * The trace showed ld.so mapping a segment of a file ({@code MAP_FIXED|MAP_DENYWRITE}): a file
   * read for that path must have a {@code PT_LOAD} segment mapped so.
   */
  public synchronized void traceShowsSegment(String path, long offset, long length) {
    evidence.segment(path, offset, length);
  }

  /** The trace opened the file for writing or renamed another onto it: its evidence is not kept. */
  public synchronized void traceWrites(String path) {
    evidence.written(path);
  }

  /**
   * Files read from now on for a replay of a recording must be the ones its run read: a file whose
   * build-id (or, when either has none, whose size) differs from the recording's answer for the
   * same path is not used, and says why.
   */
  public synchronized void expect(List<Answer> recorded) {
    for (Answer a : recorded) {
      if (a.opened().ok()) {
        expected.putIfAbsent(a.opened().kernelPath(), a.opened().elf());
      }
    }
    cache.clear();
  }

  /** Where a file read here comes from, to name it by: "this machine's " or under --root. */
  private String here() {
    return root == null ? "this machine's " : "the one under --root ";
  }

  /** Why the file read is not the build the recording's run read, or null when it is. */
  private String notAsRecorded(String kernel, ElfFile here) {
    ElfFile ran = expected.get(kernel);
    if (ran == null) {
      return null;
    }
    String where = here();
    if (ran.buildId() != null && here.buildId() != null) {
      return ran.buildId().equals(here.buildId())
          ? null
          : where
              + kernel
              + " is another build than the recording's (build-id "
              + here.buildId()
              + ", the recording's "
              + ran.buildId()
              + ")";
    }
    return ran.size() == here.size()
        ? null
        : where + kernel + " has " + here.size() + " bytes, the recording's " + ran.size();
  }

  static String key(String kind, String path, String dir) {
    return kind + "\0" + dir + "\0" + path;
  }

  /** The file a trace names, as seen from dir (the traced program's directory, or null). */
  public synchronized Opened open(String path, String dir) {
    return answer(FILE, path, dir);
  }

  /**
   * The file execve maps for a program: the program itself, or for a script starting with {@code
   * #!} the interpreter its first line names (fs/binfmt_script.c).
   */
  public synchronized Opened openProgram(String path, String dir) {
    return answer(PROGRAM, path, dir);
  }

  /**
   * Whether {@link #openProgram} answered path with the interpreter the first line of a {@code #!}
   * script names, read from the files; false when it was not asked, or the answer came from a
   * recording, which does not keep that.
   */
  public synchronized boolean script(String path, String dir) {
    return scripts.contains(key(PROGRAM, path, dir));
  }

  private Opened answer(String kind, String path, String dir) {
    String key = key(kind, path, dir);
    Opened o = cache.get(key);
    if (o == null) {
      if (recorded != null) {
        o = recorded.get(key);
        if (o == null) {
          o = new Opened(null, null, path + " is not in the recording");
        }
      } else {
        o = kind.equals(PROGRAM) ? readProgram(key, path, dir) : read(path, dir);
        if (listener != null) {
          listener.accept(new Answer(kind, path, dir, o));
        }
      }
      cache.put(key, o);
    }
    return o.ok() && recorded == null ? asTraced(o, scripts.contains(key) ? null : path, dir) : o;
  }

  /**
   * The file read, or why it is not the one the trace ran (see {@link TraceEvidence}); checked at
   * each question, since the trace may show more of a file after it was first read.
   *
   * @param path the path the trace named the file by, or null when it names another file (a script
   *     whose interpreter execve maps)
   */
  private Opened asTraced(Opened o, String path, String dir) {
    if (evidence.isEmpty()) {
      return o;
    }
    String named = null;
    if (path != null && path.startsWith("/")) {
      named = path;
    } else if (path != null && dir != null && dir.startsWith("/")) {
      try {
        named = Path.of(dir, path).normalize().toString();
      } catch (InvalidPathException e) {
        named = null; // a NUL byte: no file the trace showed
      }
    }
    String read = here() + o.kernelPath();
    String why = evidence.differs(o.elf(), read, named, o.kernelPath());
    return why == null ? o : new Opened(null, null, why);
  }

  private Opened readProgram(String key, String path, String dir) {
    Opened o = read(path, dir);
    if (o.ok() || o.problem() == null || !o.problem().endsWith("is not an ELF file")) {
      return o;
    }
    String interp = shebang(path, dir);
    if (interp == null) {
      return o;
    }
    scripts.add(key);
    return read(interp, null);
  }

  private String shebang(String path, String dir) {
    Path p = locate(path, dir);
    if (p == null) {
      return null;
    }
    try (InputStream in = Files.newInputStream(p)) {
      byte[] head = in.readNBytes(256);
      if (head.length < 3 || head[0] != '#' || head[1] != '!') {
        return null;
      }
      String line = new String(head, 2, head.length - 2, StandardCharsets.UTF_8);
      line = line.split("\n", 2)[0].strip();
      String interp = line.split("[ \t]+", 2)[0];
      return interp.startsWith("/") ? interp : null;
    } catch (IOException e) {
      return null;
    }
  }

  private Path locate(String path, String dir) {
    try {
      if (path.startsWith("/")) {
        return root == null ? Path.of(path) : root.resolve(path.substring(1));
      } else if (dir != null && dir.startsWith("/")) {
        return root == null ? Path.of(dir, path) : root.resolve(dir.substring(1)).resolve(path);
      } else if (cwd != null) {
        return cwd.resolve(path);
      }
      return null;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private Opened read(String path, String dir) {
    Path p = locate(path, dir);
    if (p == null) {
      return new Opened(
          null,
          null,
          path.startsWith("/") || (dir != null && dir.startsWith("/"))
              ? "cannot name " + path + " on this machine"
              : path + " is relative and the directory it was run from is not in the trace");
    }
    if (!Files.isReadable(p)) {
      return new Opened(
          null,
          null,
          root == null
              ? "cannot read " + p
              : "cannot read " + path + " under the --root directory");
    }
    try {
      Path real = p.toRealPath();
      String kernel = real.toString();
      if (root != null) {
        Path rootReal = root.toRealPath();
        kernel = real.startsWith(rootReal) ? "/" + rootReal.relativize(real) : kernel;
      }
      ElfFile elf = ElfFile.read(real);
      String differs = notAsRecorded(kernel, elf);
      return differs == null ? new Opened(elf, kernel, null) : new Opened(null, null, differs);
    } catch (IOException | RuntimeException e) {
      return new Opened(null, null, e.getMessage() == null ? "cannot read " + p : e.getMessage());
    }
  }
}
