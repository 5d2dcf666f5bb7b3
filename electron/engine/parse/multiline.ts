// Joining multi-line events. Conservative on purpose: only lines that plainly continue the previous one (indented
// lines, Java/Python stack frames, "Caused by:", "... 12 more", a bare exception class line) are joined, so a log
// whose every line is its own event is never merged by accident.

const CONTINUATION = /^(?:[ \t]|at |Caused by:|Suppressed:|\.\.\.|Traceback \(most recent call last\):|\})/;
const EXCEPTION_LINE =
  /^(?:[A-Za-z_$][\w$]{0,80}\.){1,20}[A-Za-z_$][\w$]{0,80}(?:Exception|Error|Throwable)(?::|$)/;

export function isContinuation(line: string): boolean {
  if (line.length === 0) return false;
  const c = line.charCodeAt(0);
  // Fast exit for the common case: a line starting with a digit or '<' (timestamp, syslog PRI) is a new event.
  if ((c >= 48 && c <= 57) || c === 60) return false;
  return CONTINUATION.test(line) || EXCEPTION_LINE.test(line);
}
