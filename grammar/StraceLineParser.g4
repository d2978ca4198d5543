/*
 * Every shape of one physical line of an strace log, as strace 6.x prints them
 * (strace-format.md, which names the strace source of each): the leader before a record, the
 * records (a complete call, its unfinished and resumed halves, a call cut off before its ')', a
 * call left by a detach or a thread's execve, signals, exits, the personality notice), the lines
 * printed without a leader (-k frames, -e read=/write= dumps, strace's notices, -c/-C/-w tables),
 * and nothing else: a line that fits no rule is what memtrace reports as unparsed.
 *
 * Arguments are read as far as a line needs them: a call's argument list is a sequence of units
 * (strings, comments, fd decorations, balanced brackets, other tokens) split by the commas at its
 * top level. Each argument's own language is grammar/StraceArgs.g4.
 *
 * The conditions a token's spelling must meet (a pid has fewer than nine digits, an epoch
 * timestamp nine to eleven, a -n number is not an -i pointer) are the predicates in @members,
 * each checked at the left edge of its alternative, so that they steer the choice and do not
 * fail it.
 *
 * The fast path in trace/ (LineParser) reads lines without this grammar; GrammarOracleTest holds
 * it to this grammar on every line of the corpus.
 */
parser grammar StraceLineParser;

options { tokenVocab = StraceLineLexer; }

@header {
import java.util.Arrays;
import java.util.Set;
}

@members {
  /** The text of the token k ahead. */
  private String ahead(int k) {
    return _input.LT(k).getText();
  }

  private int type(int k) {
    return _input.LT(k).getType();
  }

  /** The first token from k on that is not a space. */
  private int skipSpaces(int k) {
    while (type(k) == SP) {
      k++;
    }
    return k;
  }

  private static boolean digits(String t, int min, int max) {
    if (t.length() < min || t.length() > max) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** A pid or tid: digits, fewer than nine (longer is an epoch timestamp). */
  private boolean pidAhead() {
    return type(1) == NUMBER && digits(ahead(1), 1, 8);
  }

  /** A pid with its -Y comm directly after it: 1118<python3>. */
  private boolean pidCommAhead() {
    String t = ahead(1);
    int lt = t.indexOf('<');
    return type(1) == DECORATED && lt > 0 && digits(t.substring(0, lt), 1, 8);
  }

  /** -ttt and --absolute-timestamps=format:unix: nine to eleven digits of epoch seconds. */
  private boolean epochAhead() {
    String t = ahead(1);
    int dot = t.indexOf('.');
    return (type(1) == NUMBER || type(1) == DECIMAL)
        && digits(dot < 0 ? t : t.substring(0, dot), 9, 11);
  }

  /** -r alone: seconds (fewer than nine digits) and a fraction of at least one digit. */
  private boolean relativeAhead() {
    int k = skipSpaces(1);
    String t = ahead(k);
    int dot = t.indexOf('.');
    return type(k) == DECIMAL && dot < t.length() - 1 && digits(t.substring(0, dot), 1, 8);
  }

  /**
   * -r in whole seconds: a bare number, taken only when a record follows it (a call's name,
   * a resumed half, a signal, an exit).
   */
  private boolean relativeSecondsAhead() {
    int k = skipSpaces(1);
    if (type(k) != NUMBER || !digits(ahead(k), 1, 8) || type(k + 1) != SP) {
      return false;
    }
    int next = type(k + 2);
    return next == NAME
        || next == RESUMED
        || next == SIG_OPEN
        || next == STOPPED_BY
        || next == EXITED_WITH
        || next == KILLED_BY
        || next == SUPERSEDED;
  }

  /** The text between '[' at LT(1) and the first ']' (null when the line has none). */
  private String bracketed() {
    StringBuilder b = new StringBuilder();
    for (int k = 2; type(k) != EOF; k++) {
      if (type(k) == RB) {
        return b.toString();
      }
      b.append(ahead(k));
    }
    return null;
  }

  private static boolean hexIp(String t) {
    if (t.length() < 8 || t.length() > 16) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** -n: [%4lu], at least three characters wide, that cannot be read as an -i pointer. */
  private boolean scnoAhead() {
    String t = bracketed();
    return t != null && t.length() >= 3 && digits(t.strip(), 1, 10) && !hexIp(t);
  }

  /** -i: 8 to 16 hex digits, or question marks when strace could not read it. */
  private boolean ipAhead() {
    String t = bracketed();
    return t != null && (hexIp(t) || t.length() >= 8 && t.chars().allMatch(c -> c == '?'));
  }

  /** A return value: one number ({@code -1}, {@code 0x7f...}, octal {@code 022}), maybe decorated. */
  private boolean valueAhead() {
    String t = ahead(1);
    if (type(1) == QMARKS) {
      return t.equals("?");
    }
    int lt = t.indexOf('<');
    String v = lt < 0 ? t : t.substring(0, lt);
    int i = v.startsWith("-") ? 1 : 0;
    int radix = 10;
    if (v.startsWith("0x", i) && v.length() > i + 2) {
      radix = 16;
      i += 2;
    } else if (v.startsWith("0", i) && v.length() > i + 1) {
      radix = 8;
      i += 1;
    }
    if (i >= v.length() || v.length() - i > (radix == 16 ? 16 : radix == 8 ? 22 : 20)) {
      return false;
    }
    for (; i < v.length(); i++) {
      if (Character.digit(v.charAt(i), radix) < 0) {
        return false;
      }
    }
    return (type(1) == NUMBER || type(1) == DECORATED);
  }

  private static final Set<String> HEADER_WORDS =
      Set.of(
          "%", "time", "seconds", "usecs/call", "calls", "errors", "syscall", "total", "min",
          "max", "avg", "usecs", "name", "time(s)", "longest", "shortest");

  /**
   * A -c table line other than the title: a rule of dashes, a header (every cell a column
   * title), or a row (cells of digits and dots, and exactly one syscall name). Columns move with
   * -S and -U, so cells are told by their kind, not their place.
   */
  private boolean tableAhead() {
    StringBuilder b = new StringBuilder();
    for (int k = 1; type(k) != EOF; k++) {
      b.append(ahead(k));
    }
    String t = b.toString().strip();
    char first = t.isEmpty() ? ' ' : t.charAt(0);
    if (t.startsWith("---")) {
      return t.chars().allMatch(c -> c == '-' || c == ' ');
    }
    if (t.matches("[a-z_][a-z0-9_]*\\(.*")) {
      return false; // a call's name
    }
    String[] cells = t.split(" +");
    if (cells.length < 2) {
      return false;
    }
    if (Arrays.stream(cells).allMatch(HEADER_WORDS::contains)) {
      return true;
    }
    if (!(Character.isDigit(first) || first >= 'a' && first <= 'z' || first == '_')) {
      return false;
    }
    int names = 0;
    for (String c : cells) {
      if (c.matches("[0-9.]+")) {
        continue;
      }
      if (!c.matches("[a-z0-9_]+")) {
        return false;
      }
      names++;
    }
    return names == 1;
  }
}

/** One physical line. */
line
  : frame EOF                                   # frameLine
  | DUMP_BYTES DUMP_TEXT EOF                    # dumpLine
  | DUMP_BUFFER EOF                             # bufferLine
  | notice EOF                                  # noticeLine
  | prefix record EOF                           # recordLine
  | summary EOF                                 # summaryLine
  ;

// --- The leader (strace.c:printleader): each part optional, always in this order ---

prefix
  : pid? absTime? relTime? scno? ip?
  ;

pid
  : PID_OPEN (NUMBER | DECORATED) RB SP?        // [pid  1084] , [pid 12<sh>] (stderr mode)
  | {pidAhead()}? NUMBER SP+                    // 2984  (-o with -f)
  | {pidCommAhead()}? DECORATED SP              // 1118<python3>  (-Y)
  ;

absTime
  : TIME SP                                     // -t, -tt: 09:00:42.656715
  | {epochAhead()}? (NUMBER | DECIMAL) SP       // -ttt: 1795683651.094989
  ;

relTime
  : REL_OPEN SP* (NUMBER | DECIMAL) RP SP       // -r after -t: (+     0.044117)
  | {relativeAhead()}? SP* DECIMAL SP           // -r alone:        0.000240
  | {relativeSecondsAhead()}? SP* NUMBER SP     // --relative-timestamps=s: 0
  ;

scno
  : {scnoAhead()}? LB SP* NUMBER RB SP          // -n: [  59]
  | {"???".equals(bracketed())}? LB QMARKS RB SP  // -n: [???]
  ;

ip
  : {ipAhead()}? LB (NUMBER | NAME | WORD | QMARKS) RB SP   // -i: [00007f91d6323ad7]
  ;

// --- Records ---

record
  : NAME LP entry UNFINISHED                    # unfinishedCall
  | NAME LP entry DETACHED                      # detachedCall
  | NAME LP entry PID_CHANGED                   # pidChangedCall
  | NAME LP callArgs UNFINISHED? RP result      # completeCall
  | NAME LP openArgs                            # openCall
  | RESUMED callArgs UNFINISHED? RP result      # resumedCall
  | STOPPED_BY siginfo SIG_CLOSE            # groupStop
  | SIG_OPEN SIGNAL (SP siginfo)? SIG_CLOSE     # signal
  | EXITED_WITH NUMBER EXIT_CLOSE               # exited
  | KILLED_BY SIGNAL CORE_DUMPED? EXIT_CLOSE    # killed
  | SUPERSEDED NUMBER EXIT_CLOSE                # superseded
  | PERSONALITY                                 # personality
  ;

/** What a call printed at entry before strace had to print something else. */
entry
  : .*?
  ;

siginfo
  : .*?
  ;

/** The arguments; the commas directly in this rule separate them. */
callArgs
  : (unit | COMMA)*
  ;

/** Arguments the line ends inside of. */
openArgs
  : (unit | COMMA)* openGroup?
  ;

openGroup
  : (LP | LB | LC) (unit | COMMA)* openGroup?
  ;

unit
  : group
  | ~(LP | RP | LB | RB | LC | RC | COMMA | UNFINISHED | DETACHED | PID_CHANGED)
  ;

group
  : LP (unit | COMMA)* RP
  | LB (unit | COMMA)* RB
  | LC (unit | COMMA)* RC
  ;

/**
 * After the ')': padding to the alignment column, "= ", the value, then in strace's order an
 * errno name and message, groups (an auxstr, (errno N), (INJECTED...), (DELAYED)), the -T time,
 * a comment (--decode-pids=pidns) (syscall.c:syscall_exiting_trace). strace puts one space
 * between these; a line with other spacing is read all the same (by StraceArgs.g4's callRecord
 * when the scanner's fast path rejects it), so any spacing is allowed here.
 */
result
  : SP* EQ SP* value (SP* ERRNO (SP* group)?)? (SP* (group | DURATION | COMMENT))* SP*
  ;

value
  : {valueAhead()}? (QMARKS | NUMBER | DECORATED)
  ;

// --- Lines without a leader ---

/** -k: " > OBJECT(SYMBOL+0xOFF) [0xOFFSET]", " > OBJECT() [0xOFFSET]", or an unwinder's text. */
frame
  : FRAME_START object=frameText (FRAME_LP symbol=frameSymbol FRAME_SYMBOL_END | FRAME_LP FRAME_RP)?
    FRAME_OFFSET?
  ;

/** The object's path, printed raw: as short as lets the symbol and offset follow. */
frameText
  : (FRAME_CHAR | FRAME_LP | FRAME_RP | FRAME_SYMBOL_END | FRAME_OFFSET)*?
  ;

/** A demangled symbol, with balanced parameter lists. */
frameSymbol
  : (FRAME_CHAR | FRAME_OFFSET | FRAME_LP frameSymbol FRAME_RP)*
  ;

notice
  : NOTICE_START (NOTICE_ATTACHED | NOTICE_DETACHED)? NOTICE_CHAR*
  ;

/** A -c/-C/-w table (count.c): its title, or a rule, header or row. */
summary
  : SP* SUMMARY_TITLE SP*
  | {tableAhead()}? .+?
  ;
