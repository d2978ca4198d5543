/**
 * From strace's text to typed events.
 *
 * <p>{@link dev.memtrace.trace.TraceReader} is the facade: bytes in, {@link
 * dev.memtrace.trace.TraceEvent}s out, one at a time and with flat memory. Inside, a line is read
 * as ISO-8859-1 (any byte survives), stderr-mode splices are cut out, and a hand-written scanner
 * ({@code LineParser} with {@code PrefixScanner}, {@code ArgScanner}, {@code ResultScanner}) turns
 * the line into a piece: a finished event, a {@code -k} frame, the entry or resumed half of a split
 * call, or a call whose text stops early. {@code Assembler} puts pieces together: halves are joined
 * per pid (following {@code superseded by execve}), frames are attached to the call or signal
 * before them, and broken stderr-mode lines are rejoined.
 *
 * <p>The scanner splits arguments into their texts, which is all that most consumers need. The
 * ANTLR grammar {@code grammar/StraceArgs.g4} describes the value language (numbers, strings,
 * flags, structs, arrays, bitsets, fd decorations, comments, changes) and the syscall record body;
 * {@link dev.memtrace.trace.ArgParser} builds the typed {@link dev.memtrace.trace.Arg} tree of one
 * value with it, on demand ({@link dev.memtrace.trace.Args#get(int)}) and for a signal's siginfo,
 * and reads the call records the scanner rejects. The grammar {@code grammar/StraceLineLexer.g4}
 * with {@code StraceLineParser.g4} describes every shape of a whole line (the leader, complete,
 * unfinished, resumed, cut-off and detached calls, signals, exits, the personality notice, {@code
 * -k} frames, data dumps, strace's notices, {@code -c} tables); production code does not use it.
 * Tests hold the scanner to both grammars: to the line grammar on every line of every log they
 * hold, to the argument grammar on every call. The generated classes stay in this package's {@code
 * grammar} subpackage and are used only by {@code ArgParser} and {@code ArgBuilder} (and the
 * tests).
 *
 * <p>Several logs ({@code -ff} sets) are merged by {@link dev.memtrace.trace.MergedReader}, which
 * also joins a thread's execve begun in one file and resumed in another ({@code ThreadExecves}).
 * The line shapes are those of {@code ../shared/reference/strace-format.md} (strace 6.1).
 */
package dev.memtrace.trace;
