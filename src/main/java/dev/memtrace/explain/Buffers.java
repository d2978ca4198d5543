package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;

import dev.memtrace.decode.Transfer;
import dev.memtrace.explain.Explainer.Pending;
import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.BufferRef;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.RawText;
import dev.memtrace.trace.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Ties read/write-like calls to the memory they use. When strace printed the buffer's address
 * ({@code -e raw=read,write}, {@code -X raw}, a failed call), the buffer is placed in the region
 * holding it and tied to the event that made that region. When it printed the data instead, the
 * call's length is matched against the arithmetic of the latest malloc mapping, which is how cat's
 * 139264-byte mapping is recognised as its 131072-byte I/O buffer. A call is tied to that buffer
 * only when its length is the block size, or, in coreutils, it uses an fd such a call used (the
 * short last block); other calls (dd's statistics on fd 2, file's preads of ELF headers) are not.
 */
final class Buffers {

  /** Where in its region a buffer starts: "N bytes into ", or "at the start of " for 0. */
  private static String into(long off) {
    return off == 0 ? "at the start of " : off + " bytes into ";
  }

  private static final int STDIO_BUFSIZ = 8192;

  /**
   * coreutils programs that read and write through one page-aligned buffer of io_blksize bytes
   * (IO_BUFSIZE, 128 KiB, for most files), allocated with xalignalloc in coreutils 9.1: cat (main),
   * cp, mv and install (copy.c's sparse_copy), dd (alloc_ibuf; ibs bytes) and split (main). Not the
   * others: tee, head, tail and wc read into a buffer on the stack (char buffer[BUFSIZ],
   * BUFFER_SIZE), md5sum, sha*sum, b2sum, cksum, sum, base64/base32/basenc and od read through
   * stdio (fread) into malloc'd or stack buffers, tac and csplit into xmalloc'd ones, fold and cut
   * a character at a time (getc), and shred only writes its fill pattern.
   */
  static final Set<String> COREUTILS = Set.of("cat", "cp", "dd", "mv", "install", "split");

  private final Explainer ex;

  Buffers(Explainer ex) {
    this.ex = ex;
  }

  void explain(Ctx c, Pending p) {
    if (!(c.call instanceof Transfer t)) {
      return;
    }
    OptionalLong addr = t.buffer();
    OptionalLong count = t.count();
    boolean plainRead = c.name().equals("read") && !t.vectored();
    WholeBlocks whole = c.sp.wholeBlocks;
    if (plainRead && whole != null) {
      c.sp.wholeBlocks = null;
      freadRest(c, t, addr, count, whole);
    }
    if (addr.isPresent() && addr.getAsLong() != 0) {
      placed(c, p, addr.getAsLong(), count.orElse(0)); // no count: no length to match
    } else if (count.isPresent() && count.getAsLong() > 0) {
      inferred(c, p, count.getAsLong());
    }
    if (plainRead) {
      Space sp = c.sp;
      sp.seekFd = -1;
      sp.lastReadFd = t.fd().orElse(-1);
      sp.lastReadBlock =
          count.isPresent() && c.call.ret().orElse(-1) == count.getAsLong()
              ? count.getAsLong()
              : -1;
      sp.lastReadLine = c.line();
    }
  }

  /**
   * The line of the read just before this one when it fits stdio's fread reading past its FILE
   * buffer: the read before, on the same fd, filled a whole block of a size stdio uses (st_blksize,
   * a power of two), and this one asks for whole blocks of it. _IO_file_xsgetn (libio/fileops.c)
   * copies what the FILE buffer holds, then reads whole blocks straight into the caller's buffer,
   * part way into it. 0 when not.
   */
  private static int freadPastBlock(Ctx c, long count) {
    Space sp = c.sp;
    long block = sp.lastReadBlock;
    OptionalLong fd = ((Transfer) c.call).fd();
    boolean fits =
        c.name().equals("read")
            && fd.isPresent()
            && fd.getAsLong() == sp.lastReadFd
            && block >= 1024
            && block <= 65536
            && Long.bitCount(block) == 1
            && count > block
            && count % block == 0;
    return fits ? sp.lastReadLine : 0;
  }

  /**
   * The calls through which glibc's stdio moves a FILE buffer's bytes: _IO_file_read and
   * _IO_new_file_write (libio/fileops.c) call read and write, and nothing in libio calls readv,
   * writev, pread, pwrite or the socket calls.
   */
  private static final Set<String> STDIO_CALLS = Set.of("read", "write");

  private static Explanation stdioFits(Ctx c, Tag t) {
    return new Explanation(
        "stdio-buffer",
        "a malloc'd buffer. For "
            + c.name()
            + " calls of up to "
            + STDIO_BUFSIZ
            + " bytes "
            + "a stdio FILE buffer fits (_IO_file_doallocate mallocs min(BUFSIZ 8192, "
            + "st_blksize) bytes on the first read or write of a FILE: fopen'd files, "
            + "stdout), and so does a buffer the program or its runtime mallocs for its "
            + "own I/O; the trace does not tell which (inferred from the pattern)",
        Basis.PATTERN,
        List.of("buffer inside " + t.cls().label));
  }

  /**
   * What a read's length says of stdio: _IO_new_file_underflow asks for the whole FILE buffer (the
   * min(BUFSIZ, st_blksize) bytes _IO_file_doallocate malloc'd, a power of two on local
   * filesystems, pipes and sockets), an unbuffered stream for the one byte of its _shortbuf, inside
   * the FILE fopen mallocs; only _IO_new_file_seekoff reads less, up to the offset in its block,
   * right after an lseek of the fd (libio/fileops.c), and _IO_wfile_underflow, topping up a wide
   * stream's partial character (libio/wfileops.c). Another length, with no lseek of the fd since
   * the last read, is likely the program's or a library's own buffer (OpenSSL reads a TLS record's
   * 5-byte header, then its body, into its read buffer).
   */
  private static Explanation stdioRead(Ctx c, Tag t, long count) {
    if (!c.name().equals("read")) {
      return stdioFits(c, t);
    }
    OptionalLong fd = ((Transfer) c.call).fd();
    boolean seeked = fd.isPresent() && fd.getAsLong() == c.sp.seekFd;
    if (count == 1) {
      return new Explanation(
          "stdio-buffer",
          "a one-byte read into malloc'd memory: an unbuffered stdio stream reads so, into the"
              + " one-byte _shortbuf inside the FILE fopen or fdopen malloc'd (_IO_new_file_underflow,"
              + " libio/fileops.c), and so does a program reading one byte into memory of its own;"
              + " the trace does not tell which (inferred from the pattern)",
          Basis.PATTERN,
          List.of("buffer inside " + t.cls().label, "length 1"));
    }
    if (Long.bitCount(count) == 1 || seeked) {
      return stdioFits(c, t);
    }
    return new Explanation(
        "stdio-buffer",
        "likely a malloc'd buffer of the program's or a library's own (or one it handed stdio"
            + " with setvbuf): glibc's stdio refills the FILE buffer it malloc'd whole,"
            + " _IO_new_file_underflow asking for all of its min(BUFSIZ 8192, st_blksize) bytes, a"
            + " power of two, and reads less only after an lseek of the fd (_IO_new_file_seekoff,"
            + " libio/fileops.c) or to top up a wide-character stream's partial character"
            + " (_IO_wfile_underflow), while this read asks for "
            + count
            + " bytes with no lseek of fd "
            + fd.orElse(-1)
            + " since its last read (inferred from the pattern)",
        Basis.PATTERN,
        List.of("buffer inside " + t.cls().label, "length " + count + " not a power of two"));
  }

  /**
   * The frame that called libc's read or write wrapper when a -k stack shows it called straight
   * from outside libc: stdio's calls come from libio inside libc (_IO_file_read,
   * _IO_new_file_write). Null without a stack, or when libc's own code made the call.
   */
  private static StackFrame wrapperCaller(Ctx c) {
    List<StackFrame> st = c.ev.stack();
    int i = pastWrappers(st);
    return i > 0 && i < st.size() && !inLibc(st.get(i)) && st.get(i).object() != null
        ? st.get(i)
        : null;
  }

  /**
   * The libc frame that called libc's read or write wrapper when a -k stack shows glibc's stdio
   * making the call: a libio function (glibc names them _IO_*: _IO_file_underflow, _IO_file_xsgetn,
   * _IO_file_write) right above the wrapper. Null without a stack, or when another frame called it.
   */
  private static StackFrame libioCaller(Ctx c) {
    List<StackFrame> st = c.ev.stack();
    int i = pastWrappers(st);
    if (i == 0 || i >= st.size()) {
      return null;
    }
    StackFrame f = st.get(i);
    return inLibc(f) && f.symbol() != null && f.symbol().startsWith("_IO_") ? f : null;
  }

  /** The index of the first frame above libc's read or write wrapper frames at the stack's top. */
  private static int pastWrappers(List<StackFrame> st) {
    int i = 0;
    while (i < st.size() && inLibc(st.get(i)) && isWrapper(st.get(i))) {
      i++;
    }
    return i;
  }

  /**
   * Whether -k named the frame as one of libc's read and write wrappers (a frame may name none).
   */
  private static boolean isWrapper(StackFrame f) {
    return f.symbol() != null && IO_WRAPPERS.contains(f.symbol());
  }

  private static boolean inLibc(StackFrame f) {
    return f.object() != null && f.object().contains("/libc.so");
  }

  /** libc's read and write wrappers as -k names them. */
  private static final Set<String> IO_WRAPPERS =
      Set.of(
          "read",
          "__read",
          "__libc_read",
          "__read_nocancel",
          "write",
          "__write",
          "__libc_write",
          "__write_nocancel");

  private static Explanation notStdio(Ctx c, Tag t, StackFrame caller) {
    String frame = Explainer.frameText(caller);
    return new Explanation(
        "own-io-buffer",
        "a malloc'd buffer the program or a library uses for its own I/O, not a stdio FILE"
            + " buffer: "
            + frame
            + " calls libc's "
            + c.name()
            + " itself, while glibc's stdio reads and writes from inside libc"
            + " (_IO_file_read, _IO_new_file_write)"
            + Explainer.seenInStack(frame),
        Basis.STACK,
        List.of("stack: " + frame, "buffer inside " + t.cls().label));
  }

  /**
   * A read or write a -k stack shows glibc's stdio making. A refill (_IO_new_file_underflow, or
   * _IO_wfile_underflow for a wide stream) and a read after a seek (_IO_new_file_seekoff) read into
   * the FILE buffer, _IO_buf_base; other libio callers move the FILE buffer's bytes too, but
   * _IO_file_xsgetn reads whole blocks of an fread straight into the caller's memory and
   * _IO_new_file_xsputn writes what does not fit the buffer straight from it (libio/fileops.c).
   */
  private static Explanation stdioSeen(Ctx c, Tag t, StackFrame caller) {
    String frame = Explainer.frameText(caller);
    String sym = caller.symbol();
    boolean refill =
        c.name().equals("read") && (sym.contains("underflow") || sym.contains("seekoff"));
    return new Explanation(
        "stdio-buffer",
        "glibc's stdio "
            + (refill
                ? "reads into a FILE buffer: "
                    + frame
                    + " calls libc's read, and _IO_new_file_underflow (or, after a seek,"
                    + " _IO_new_file_seekoff; libio/fileops.c) reads into the FILE's _IO_buf_base:"
                    + " the min(BUFSIZ 8192, st_blksize) bytes _IO_file_doallocate malloc'd, a"
                    + " buffer the program gave it with setvbuf, or an unbuffered stream's one-byte"
                    + " _shortbuf inside the FILE"
                : "makes this "
                    + c.name()
                    + ": "
                    + frame
                    + " calls libc's "
                    + c.name()
                    + " from libio; the bytes are a FILE buffer's, or, for "
                    + (c.name().equals("read")
                        ? "an fread of whole blocks, the caller's own memory, which"
                            + " _IO_file_xsgetn reads into directly"
                        : "an fwrite or fputs larger than the buffer, the caller's own, which"
                            + " _IO_new_file_xsputn writes straight from its memory")
                    + " (libio/fileops.c)")
            + Explainer.seenInStack(frame),
        Basis.STACK,
        List.of("stack: " + frame, "buffer inside " + t.cls().label));
  }

  private static Explanation ownBuffer(Ctx c, Tag t) {
    return new Explanation(
        "own-io-buffer",
        "a malloc'd buffer the program or a library uses for its own I/O: glibc's stdio moves"
            + " its FILE buffers only with read and write (_IO_file_read, _IO_new_file_write),"
            + " never with "
            + c.name()
            + " (inferred from the pattern)",
        Basis.PATTERN,
        List.of("buffer inside " + t.cls().label, c.name() + " is not a stdio call"));
  }

  /**
   * "; the fork at line F copied it from process P" when a fork child's buffer lies in a region its
   * parent made before the fork (or gave it, shared, for a shared mapping): the line the sentence
   * cites ran in the parent.
   */
  private static String copiedBy(AddressSpaceView v, Region region) {
    String copied = v == null || region == null ? null : v.forkCopied(region);
    return copied == null ? "" : "; " + copied;
  }

  private void placed(Ctx c, Pending p, long addr, long count) {
    Space sp = c.sp;
    TagMap.Span span = sp.tags.at(addr);
    AddressSpaceView v = ex.view(c.ev.pid());
    Region region = v == null ? null : v.regionAt(addr);
    if (span != null) {
      identify(c, span, count, OptionalLong.of(addr));
      Tag t = span.tag();
      long off = addr - span.start();
      Region r =
          region != null
              ? region
              : new Region(
                  span.start(),
                  span.end(),
                  "rw-p",
                  0,
                  "00:00",
                  0,
                  t.cls() == RegionClass.HEAP ? "[heap]" : "",
                  t.line());
      // the offset into the region it names: a fork child's [heap] is two VMAs once it grows
      // (the kernel does not merge the parent's cloned part with the new one,
      // is_mergeable_anon_vma), while the sentence below counts from the start of the whole area
      p.buffer = new BufferRef(addr, r, addr - r.start(), t.cls());
      // a reservation keeps its tag when a part of it is made usable (mprotect): the region
      // says what that part is now; a buffer a call read into is not PROT_NONE memory
      String label =
          t.cls() == RegionClass.RESERVED && region != null && !region.perms().startsWith("---")
              ? "reserved PROT_NONE; this part has since been made " + region.perms()
              : t.cls().label;
      p.why.add(
          new Explanation(
              "buffer",
              "the buffer at "
                  + hex(addr)
                  + " is "
                  + into(off)
                  + MallocRules.the(t.what())
                  + " made at line "
                  + t.line()
                  + " ("
                  + label
                  + copiedBy(v, region)
                  + ")",
              Basis.ARITHMETIC,
              List.of(hex(addr) + " - " + hex(span.start()) + " = " + off)));
      told(sp, c, p.why.get(p.why.size() - 1));
      if ((t.cls() == RegionClass.HEAP || t.cls() == RegionClass.MALLOC_ARENA)
          && count > 0
          && count <= STDIO_BUFSIZ) {
        StackFrame caller = STDIO_CALLS.contains(c.name()) ? wrapperCaller(c) : null;
        StackFrame libio = STDIO_CALLS.contains(c.name()) ? libioCaller(c) : null;
        if (caller != null) {
          p.why.add(notStdio(c, t, caller));
        } else if (libio != null) {
          p.why.add(stdioSeen(c, t, libio));
        } else if (STDIO_CALLS.contains(c.name())) {
          p.why.add(stdioRead(c, t, count));
        } else if (FileRules.loaded(sp, "libc.so.6")) {
          // musl's stdio reads and writes a FILE buffer with readv and writev (__stdio_read,
          // __stdio_write), so only where glibc is the C library is such a call not stdio's
          p.why.add(ownBuffer(c, t));
        }
      }
      return;
    }
    if (region != null) {
      RegionClass cls = Classifier.classify(region, null, sp.exe);
      long off = addr - region.start();
      String name = region.path().isEmpty() ? "anonymous region" : RawText.name(region.path());
      Region prev = region.start() > 0 ? v.regionAt(region.start() - 1) : null;
      if (cls == RegionClass.ANON && Tally.kernelBss(prev, region, sp.exe)) {
        // the executable's static buffers: the .bss beyond its last data page, no mmap
        cls = RegionClass.IMAGE_BSS;
        name = "the .bss of " + RawText.name(prev.path());
      } else if (cls == RegionClass.IMAGE_BSS
          && region.path().isEmpty()
          && prev != null
          && prev.end() == region.start()
          && prev.path().startsWith("/")) {
        // the same .bss laid out from the ELF program headers, where no snapshot showed it
        name = "the .bss of " + RawText.name(prev.path());
      }
      p.buffer = new BufferRef(addr, region, off, cls);
      p.why.add(
          new Explanation(
              "buffer",
              "the buffer at "
                  + hex(addr)
                  + " is "
                  + into(off)
                  + name
                  + " ("
                  + cls.label
                  + (region.originLine() <= 0
                      // met midway (run -p), a region the trace did not make may be any mapping
                      ? sp.midway
                          ? ", mapped before the trace began"
                          : ", made by the kernel at execve"
                      : region.madeWhole() || (addr >= region.madeFrom() && addr < region.madeTo())
                          ? ", " + RegionOrigin.madeAtLine(region)
                          : ", in memory another call added to the area line "
                              + region.originLine()
                              + " made, which the kernel merged into one")
                  + copiedBy(v, region)
                  + ")"
                  + pastEnd(v, region, addr, count, sp.exe, c.name()),
              RegionOrigin.basis(region),
              List.of("region " + hex(region.start()) + "-" + hex(region.end()))));
      return;
    }
    String guess =
        sp.midway
            ? "memory mapped before the trace began, which no snapshot showed"
            : addr >= 0x7ff000000000L && addr < 0x800000000000L
                ? "most likely the main thread's [stack] (mapped by the kernel at execve, no syscall)"
                : "memory the trace never shows being mapped (the executable's data or bss, or "
                    + "[stack]), created by the kernel at execve";
    p.buffer = new BufferRef(addr, null, 0, RegionClass.UNKNOWN);
    p.why.add(
        new Explanation(
            "buffer",
            "the buffer at "
                + hex(addr)
                + " lies in no region the trace made: "
                + guess
                + " (inferred from the pattern)",
            Basis.PATTERN,
            List.of("no mmap/brk in the trace covers " + hex(addr))));
  }

  /**
   * Where the count a call gives runs past the end of the region its buffer starts in: the bytes
   * beyond it lie in the next region (an executable's .bss beyond its last data page, say), or in
   * no mapping; empty when the count fits.
   */
  private static String pastEnd(
      AddressSpaceView v, Region region, long addr, long count, String exe, String call) {
    long left = region.end() - addr;
    if (count <= left) {
      return "";
    }
    Region next = v.regionAt(region.end());
    String into =
        next == null
            ? "no mapping"
            : (Tally.kernelBss(region, next, exe)
                        // the kernel's .bss of an image it laid out (the program's name may differ
                        // from
                        // the path the headers were read from: a symlink such as /usr/bin/as)
                        || region.learnt() == Region.Learnt.ELF_HEADER
                            && next.learnt() == Region.Learnt.ELF_HEADER
                            && next.path().isEmpty()
                    ? "the .bss of " + RawText.name(region.path()) + " beyond its last data page, "
                    : next.path().isEmpty()
                        ? "an anonymous mapping, "
                        : RawText.name(next.path()) + ", ")
                + hex(next.start())
                + "-"
                + hex(next.end());
    return "; the "
        + count
        // a write takes its bytes from the buffer; only a read may fill all of them
        + (call.startsWith("write") || call.startsWith("pwrite") || call.startsWith("send")
            ? " bytes it writes run past that region's end, "
            : " bytes it may fill run past that region's end, ")
        + left
        + " bytes after the buffer's start, into "
        + into;
  }

  private void inferred(Ctx c, Pending p, long count) {
    Space sp = c.sp;
    if (sp.ioBuffer >= 0) {
      TagMap.Span s = sp.tags.at(sp.ioBuffer);
      OptionalLong fd = ((Transfer) c.call).fd();
      boolean full = count == sp.ioBlock;
      if (full && fd.isPresent()) {
        sp.ioFds.add(fd.getAsLong());
      }
      // a shorter call on the same fd goes through the buffer in coreutils, whose source reads
      // and writes through that one buffer; another program (file's readelf) preads its headers
      // into buffers of their own on the fd it read a block from
      boolean usedFd =
          fd.isPresent() && sp.ioFds.contains(fd.getAsLong()) && COREUTILS.contains(sp.runs());
      String fdText = fd.isPresent() ? String.valueOf(fd.getAsLong()) : c.text(0);
      boolean passOn = c.name().startsWith("write") && count == sp.ioLastRead;
      boolean read = c.name().startsWith("read") || c.name().startsWith("pread");
      if (s != null && (full || count < sp.ioBlock && (usedFd || passOn))) {
        sp.ioLastRead = read ? c.call.ret().orElse(-1) : -1;
        p.why.add(
            new Explanation(
                "buffer-inferred",
                c.name()
                    + " of "
                    + count
                    + (count == 1 ? " byte" : " bytes")
                    + ", likely through "
                    + s.tag().what()
                    + " made at line "
                    + s.tag().line()
                    + " (inferred: "
                    + (full
                        ? "the length it was identified by"
                        : usedFd
                            ? "a short block on fd "
                                + fdText
                                + ", which its "
                                + sp.ioBlock
                                + "-byte calls use"
                            : "it writes what the last read into it returned")
                    + "; strace printed the data, not the address; -e raw="
                    + c.name()
                    + " shows it)",
                Basis.PATTERN,
                List.of(
                    full
                        ? "length " + count + " = block size"
                        : "length " + count + " < block size " + sp.ioBlock + " on fd " + fdText)));
        told(sp, c, p.why.get(p.why.size() - 1));
        return;
      }
    }
    if (sp.candidate >= 0 && (c.name().startsWith("read") || c.name().startsWith("pread"))) {
      TagMap.Span s = sp.tags.at(sp.candidate);
      if (s != null
          && s.start() == sp.candidate
          && fitsLength(s, count)
          && !otherPlaces(sp, s, count)
          && identify(c, s, count, OptionalLong.empty())) {
        inferred(c, p, count);
      }
    }
  }

  /**
   * Whether a read whose length fits the latest malloc mapping may as well go through other memory
   * the trace shows, so that its length alone does not tie it to that mapping: another live malloc
   * mapping the length fits as well (procps' ps reads /proc files 131072 bytes at a time into one
   * of two buffers it malloc'd, 135168-byte mappings, before it maps 139264 bytes for its output),
   * or [heap] grown since the mapping was made, where a malloc after it (below a threshold a free
   * raised, or any smaller request) may have put the buffer. rsync's sender reads files 256 KiB at
   * a time into a buffer map_ptr mallocs in [heap] once a free has raised the threshold, while 256
   * KiB mappings it made before for other uses are still there.
   */
  private static boolean fitsLength(TagMap.Span s, long count) {
    return count > 0
        && (Glibc.mallocMmap(count).value() == s.size()
            || Glibc.alignedAllocMmap(Glibc.PAGE, count).value() == s.size());
  }

  private static boolean otherPlaces(Space sp, TagMap.Span candidate, long count) {
    if (sp.candidateBrk >= 0 && sp.brk > sp.candidateBrk) {
      return true;
    }
    for (TagMap.Span s : sp.tags.view()) {
      if (s.start() != candidate.start()
          && s.tag().cls() == RegionClass.MALLOC_MMAP
          && (s.size() == candidate.size() || fitsLength(s, count))) {
        return true;
      }
    }
    return false;
  }

  /**
   * How coreutils before 9.1 got the same buffer, for the programs whose source says so: cat used
   * xmalloc(insize + page_size - 1) and aligned the pointer (src/cat.c), dd used malloc(ibs +
   * INPUT_BLOCK_SLOP), INPUT_BLOCK_SLOP = 2 * SWAB_ALIGN_OFFSET + 2 * page_size - 1 (src/dd.c).
   * Each program's own wording, and its own size; nothing for the others.
   */
  static String before91(String prog, long count) {
    long slop;
    String call;
    if (prog.equals("cat")) {
      slop = Glibc.PAGE - 1;
      call = "xmalloc(" + count + " + 4095)";
    } else if (prog.equals("dd")) {
      slop = 2 * 2 + 2 * Glibc.PAGE - 1;
      call = "malloc(ibs " + count + " + INPUT_BLOCK_SLOP 8195 = 2·2 + 2·4096 − 1)";
    } else {
      return "";
    }
    Calc old = Glibc.mallocMmap(count + slop);
    Calc now = Glibc.alignedAllocMmap(Glibc.PAGE, count);
    return "; before 9.1 "
        + prog
        + " used "
        + call
        + " and aligned the pointer by hand, "
        + "which maps "
        + (old.value() == now.value() ? "the same size: " : "a different size: ")
        + old.steps();
  }

  /** The span is now the buffer the space's reads and writes of count bytes go through. */
  /** How a mapping that only fits a program's read or write buffer begins its sentence. */
  private static String fitsBufferFor(String prog, long count, String verb, int line) {
    return "fits a buffer for " + prog + "'s " + count + "-byte " + verb + " at line " + line;
  }

  private static void inUse(Space sp, TagMap.Span span, long count) {
    sp.ioBuffer = span.start();
    sp.ioBlock = count;
    sp.ioFds.clear();
    sp.candidate = -1;
  }

  /**
   * Whether the span is the I/O buffer of a program reading count bytes at a time; if so the span's
   * tag and the mmap that made it are told so. {@code addr}: the buffer's address when the call
   * printed it, rather than its length being matched to the mapping.
   */
  private boolean identify(Ctx c, TagMap.Span span, long count, OptionalLong addr) {
    Space sp = c.sp;
    Tag t = span.tag();
    if (t.cls() != RegionClass.MALLOC_MMAP || sp.ioBuffer == span.start() || count <= 0) {
      return sp.ioBuffer == span.start();
    }
    if (t.ioBlock() > 0) {
      // identified before by its own block, and another buffer was in use since: it is that
      // buffer again when the length is its block, and never renamed for another length
      if (count != t.ioBlock()) {
        return false;
      }
      inUse(sp, span, count);
      return true;
    }
    long size = span.size();
    Calc aligned = Glibc.alignedAllocMmap(Glibc.PAGE, count);
    Calc plain = Glibc.mallocMmap(count);
    // where the buffer starts in the mapping: one page in for an aligned chunk, after the 16-byte
    // chunk header for a plain one (a printed address elsewhere is a call through the middle of
    // some buffer, whose length says nothing of the buffer's size)
    boolean isAligned =
        aligned.value() == size
            && (addr.isEmpty() || addr.getAsLong() == span.start() + Glibc.PAGE);
    boolean isPlain =
        !isAligned
            && plain.value() == size
            && (addr.isEmpty() || addr.getAsLong() == span.start() + 2 * Glibc.SIZE_SZ);
    if (!isAligned && !isPlain) {
      return false;
    }
    String prog = sp.runs();
    boolean coreutils = COREUTILS.contains(prog);
    String verb = c.name().startsWith("write") || c.name().startsWith("pwrite") ? "write" : "read";
    // a read of whole blocks after a block read on the same fd fits fread reading part way into a
    // larger buffer: the read's length is not the buffer's
    int blockLine = isPlain && !coreutils && addr.isEmpty() ? freadPastBlock(c, count) : 0;
    // coreutils read and write through one block-sized buffer (their source says so); of another
    // program the trace shows only that a read (or write) of this length fits the mapping
    // nor, when only the length fits aligned_alloc's arithmetic, is the buffer's size known: a
    // larger malloc'd buffer maps the same (ld.bfd's fread of a whole section)
    boolean sizeUnknown = blockLine > 0 || isAligned && !coreutils && addr.isEmpty();
    // and only coreutils' own buffer has the length of its reads: another program's is at least as
    // long, often longer (git's grep_source_load_file reads a file of n bytes into xmallocz(n), n
    // + 1; libmagic's file_or_fd reads bytes_max into malloc(bytes_max + SLOP)), so it is named by
    // the call, not given the call's length as its size
    String what =
        sizeUnknown || !coreutils
            ? prog + "'s buffer of its " + count + "-byte " + verb
            : prog + "'s " + count + "-byte I/O buffer";
    String use =
        coreutils
            ? "the block size it then reads and writes with, first at line " + c.line()
            : "the length of the " + verb + " at line " + c.line();
    t.refine(RegionClass.MALLOC_MMAP, what);
    t.ioBlock(count);
    inUse(sp, span, count);
    String bufsize =
        count == 131072 && COREUTILS.contains(prog) ? ", coreutils' IO_BUFSIZE of 128 KiB" : "";
    String text;
    List<String> evidence;
    long nMin = Glibc.smallestMmappedRequest(size);
    long nMax = Glibc.largestMmappedRequest(size);
    // the default, which a free's raise does not undo for what was mapped before; or the one the
    // environment sets, which nothing but mallopt moves
    long threshold = sp.envThreshold ? sp.mmapThreshold : Glibc.MMAP_THRESHOLD;
    String thresholdFrom = sp.envThreshold ? MallocEnv.thresholdSetBy(sp) : "";
    if (isAligned && !coreutils && addr.isEmpty()) {
      // only the length matched aligned_alloc's arithmetic: a larger plain malloc'd buffer the
      // read covers only part of maps the same size (diff's slurp reallocs its 4096-byte buffer
      // to the file's size + 16 and reads the rest, file size + 1 - 4096 bytes, after the first
      // block; ld.bfd freads a section into a malloc'd buffer of its size for --build-id: the
      // tail of the block fseek read first, whole 4096-byte blocks, the last part through the
      // FILE buffer)
      text =
          fitsBufferFor(prog, count, verb, c.line())
              + ": aligned_alloc(4096, "
              + count
              + ") (or memalign/posix_memalign) maps this size ("
              + aligned.steps()
              + "), and so does malloc(n) for n from "
              + nMin
              + " to "
              + nMax
              + " through glibc malloc's mmap path, a larger buffer the "
              + verb
              + " covers only in part (stdio's fread, for one, copies what its FILE buffer holds"
              + " into the caller's buffer first, reads whole blocks straight into the rest and"
              + " what is left through the FILE buffer again); which, and where in the mapping the "
              + verb
              + " lands, the trace does not show (-e raw="
              + c.name()
              + " shows the address). It is not part of [heap], which is only the brk area";
      evidence = List.of(aligned.steps());
    } else if (isAligned) {
      ex.lead(t, Glibc.PAGE - 16);
      String how =
          COREUTILS.contains(prog)
              ? ". coreutils 9.1 gets it with alignalloc(4096, "
                  + count
                  + ") (gnulib's wrapper "
                  + "of aligned_alloc)"
                  + before91(prog, count)
              : ". That is what aligned_alloc(4096, "
                  + count
                  + ") (or memalign/posix_memalign) "
                  + "costs";
      text =
          what
              + ": "
              + count
              + " bytes ("
              + use
              + bufsize
              + "), page-aligned, allocated "
              + "through glibc "
              + "malloc's mmap path because the request is above the "
              + threshold
              + "-byte mmap threshold"
              + thresholdFrom
              + ". "
              + size
              + " = the request plus alignment slack and chunk "
              + "header, rounded up to "
              + size / Glibc.PAGE
              + " pages: "
              + aligned.steps()
              + how
              + ". The buffer starts one page in, at "
              + hex(span.start() + Glibc.PAGE)
              + (addr.isPresent() && addr.getAsLong() == span.start() + Glibc.PAGE
                  ? " (seen in the trace)"
                  : "")
              + ". It is not part of [heap], which is only the brk area";
      evidence = List.of(aligned.steps());
    } else {
      String mapsFor =
          fitsBufferFor(prog, count, verb, c.line())
              + ": glibc malloc's mmap path maps "
              + size
              + " bytes for malloc(n) with n from "
              + nMin
              + " to "
              + nMax;
      if (coreutils) {
        text =
            what
                + ": malloc("
                + count
                + ") ("
                + use
                + bufsize
                + ") served by glibc malloc's "
                + "mmap path because the request is above the "
                + threshold
                + "-byte threshold"
                + thresholdFrom
                + ": "
                + plain.steps()
                + ". It is not part of [heap], which is only the brk "
                + "area";
      } else if (blockLine > 0) {
        text =
            mapsFor
                + ". The read likely does not start the buffer: with the "
                + sp.lastReadBlock
                + "-byte read on the same fd at line "
                + blockLine
                + " before it, it fits stdio's fread, whose _IO_file_xsgetn (libio/fileops.c)"
                + " copies what its FILE buffer still holds into the caller's buffer first, then"
                + " reads whole "
                + sp.lastReadBlock
                + "-byte blocks straight into the rest, and what is left through the FILE buffer"
                + " again; then the buffer is larger than "
                + count
                + " bytes, by how much the trace does not show. It is not part of [heap], which"
                + " is only the brk area";
      } else {
        text =
            mapsFor
                + ", and a buffer of "
                + count
                + " bytes ("
                + plain.steps()
                + ") is one of them; what else the program allocated with it (an object header) "
                + "the trace does not show. It is not part of [heap], which is only the brk area";
      }
      evidence = List.of(plain.steps());
    }
    boolean observed = addr.isPresent();
    Basis basis = observed ? Basis.ARITHMETIC : Basis.PATTERN;
    Explanation before = ex.said(t, MallocRules.MALLOC_MMAP);
    String stackNote = "";
    if (before != null && before.basis() == Basis.STACK) {
      basis = Basis.STACK;
      List<String> ev = new ArrayList<>(before.evidence().subList(0, 1));
      ev.addAll(evidence);
      evidence = ev;
      stackNote = " (the stack shows the allocator: " + before.evidence().get(0).substring(7) + ")";
      text += stackNote;
    } else if (!observed && (isAligned && !coreutils || blockLine > 0)) {
      text += " (inferred from the pattern)";
    } else if (!observed) {
      text +=
          " (inferred from the pattern: the "
              + count
              + "-byte "
              + c.name()
              + " at line "
              + c.line()
              + " fits the arithmetic exactly)";
    }
    ex.retell(t, MallocRules.MALLOC_MMAP, new Explanation("io-buffer", text, basis, evidence));
    OptionalLong fd = ((Transfer) c.call).fd();
    if (isPlain
        && !coreutils
        && blockLine == 0
        && c.name().equals("read")
        && fd.isPresent()
        && c.call.ret().orElse(-1) == count
        && count % MIN_STDIO_BLOCK == 0) {
      sp.wholeBlocks =
          new WholeBlocks(
              t,
              span.start(),
              span.end(),
              c.ev.pid(),
              c.line(),
              fd.getAsLong(),
              count,
              what,
              nMin,
              nMax,
              size,
              stackNote);
    }
    return true;
  }

  /**
   * The smallest FILE buffer for which _IO_file_xsgetn rounds a direct read down to whole blocks
   * ("if (block_size >= 128) count -= want % block_size", libio/fileops.c).
   */
  private static final long MIN_STDIO_BLOCK = 128;

  /**
   * A read that named a plain malloc mapping the buffer of its length, and asked for a multiple of
   * the smallest block stdio rounds to, until the next read in the space; {@code told}: the
   * sentence that read's event got about its buffer, to retell with the mapping.
   */
  static final class WholeBlocks {
    final Tag tag;
    final long start;
    final long end;
    final Integer pid;
    final int line;
    final long fd;
    final long count;
    final String what;
    final long nMin;
    final long nMax;
    final long size;
    final String stackNote;
    Explanation told;

    WholeBlocks(
        Tag tag,
        long start,
        long end,
        Integer pid,
        int line,
        long fd,
        long count,
        String what,
        long nMin,
        long nMax,
        long size,
        String stackNote) {
      this.tag = tag;
      this.start = start;
      this.end = end;
      this.pid = pid;
      this.line = line;
      this.fd = fd;
      this.count = count;
      this.what = what;
      this.nMin = nMin;
      this.nMax = nMax;
      this.size = size;
      this.stackNote = stackNote;
    }
  }

  /** Keeps e as what the read that named a mapping by its length said of its buffer. */
  private static void told(Space sp, Ctx c, Explanation e) {
    WholeBlocks w = sp.wholeBlocks;
    if (w != null && w.line == c.line() && w.told == null) {
      w.told = e;
    }
  }

  /**
   * The read right after one that named a malloc mapping the buffer of its length, on the same fd
   * with no seek between: when it asks for one block of a size stdio's FILE buffer has (a power of
   * two up to BUFSIZ) that divides the first read's length, into other memory when the trace shows
   * where, the two fit one fread into a buffer larger than the first read. _IO_file_xsgetn
   * (libio/fileops.c) reads the whole blocks of what is wanted straight into the caller's buffer,
   * then refills its FILE buffer for the rest, less than a block. GnuTLS reads a CA bundle of
   * 219597 bytes with gnulib's fread_file, which mallocs st_size + 1 and freads that much: 217088
   * bytes (53 blocks of 4096) straight in, 2509 through the FILE buffer. The mapping and the first
   * read's sentence are retold: the buffer is not that read's length.
   */
  private void freadRest(Ctx c, Transfer t, OptionalLong addr, OptionalLong count, WholeBlocks w) {
    Space sp = c.sp;
    OptionalLong fd = t.fd();
    if (fd.isEmpty()
        || fd.getAsLong() != w.fd
        || sp.lastReadFd != w.fd
        || sp.lastReadLine != w.line
        || count.isEmpty()) {
      return;
    }
    long block = count.getAsLong();
    if (block < MIN_STDIO_BLOCK
        || block > STDIO_BUFSIZ
        || Long.bitCount(block) != 1
        || w.count <= block
        || w.count % block != 0) {
      return;
    }
    boolean known = addr.isPresent() && addr.getAsLong() != 0;
    if (known && addr.getAsLong() >= w.start && addr.getAsLong() < w.end) {
      return;
    }
    long low = Math.max(w.nMin, w.count + 1);
    long high = Math.min(w.nMax, w.count + block - 1);
    if (low > high) {
      return;
    }
    String what = sp.runs() + "'s buffer of its " + w.count + "-byte read";
    w.tag.refine(RegionClass.MALLOC_MMAP, what);
    String text =
        fitsBufferFor(sp.runs(), w.count, "read", w.line)
            + ", though likely not one of that size: glibc malloc's mmap path maps "
            + w.size
            + " bytes for malloc(n) with n from "
            + w.nMin
            + " to "
            + w.nMax
            + ". That read asked for "
            + w.count / block
            + " whole "
            + block
            + "-byte blocks, and the next read on fd "
            + w.fd
            + ", at line "
            + c.line()
            + ", for one "
            + block
            + "-byte block"
            + (known ? " into other memory" : "")
            + ": that fits stdio's fread, whose _IO_file_xsgetn (libio/fileops.c) reads the whole"
            + " blocks of a request straight into the caller's buffer and what is left, less than"
            + " a block, through its FILE buffer; then the buffer is 1 to "
            + (block - 1)
            + " bytes larger than the first read, malloc(n) for n from "
            + low
            + " to "
            + high
            + ", unless that fread asked for exactly "
            + w.count
            + " bytes and another stdio read came next. It is not part of [heap], which is only"
            + " the brk area"
            + w.stackNote
            + " (inferred from the pattern)";
    List<String> evidence =
        List.of(
            w.count + " = " + w.count / block + " × " + block,
            "line " + c.line() + ": read of " + block + " on fd " + w.fd);
    ex.retell(
        w.tag,
        MallocRules.MALLOC_MMAP,
        new Explanation("io-buffer", text, Basis.PATTERN, evidence));
    if (w.told != null) {
      ex.retellLine(
          w.pid,
          w.line,
          w.told.rule(),
          new Explanation(
              w.told.rule(),
              w.told.text().replace(w.what, what),
              w.told.basis(),
              w.told.evidence()));
    }
  }
}
