// Joining multi-line events. Conservative on purpose: only lines that plainly continue the previous one (indented
// lines, Java/Python stack frames, "Caused by:", "... 12 more", a bare exception class line, a Go goroutine header)
// are joined, so a log whose every line is its own event is never merged by accident.

const EXCEPTION_LINE =
  /^(?:[A-Za-z_$][\w$]{0,80}\.){1,20}[A-Za-z_$][\w$]{0,80}(?:Exception|Error|Throwable)(?::|$)/;

/** [\w$]: what may follow the first character of a Java identifier. */
function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/**
 * A bare exception class line (`java.lang.IllegalStateException: ...`). Every line of a log is asked this, so the
 * regex only runs when the line's first word is an identifier followed by a dot: any other line fails it at once
 * (the first `[A-Za-z_$][\w$]{0,80}\.` can only end where the identifier characters end).
 */
function isExceptionLine(line: string): boolean {
  const c = line.charCodeAt(0);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36)) return false;
  const limit = Math.min(line.length, 81);
  let i = 1;
  while (i < limit && isIdentChar(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 46) return false;
  return EXCEPTION_LINE.test(line);
}

export function isContinuation(line: string): boolean {
  if (line.length === 0) return false;
  const c = line.charCodeAt(0);
  // Fast exit for the common case: a line starting with a digit or '<' (timestamp, syslog PRI) is a new event.
  if ((c >= 48 && c <= 57) || c === 60) return false;
  // Indented lines, `at `, `Caused by:`, `Suppressed:`, `...`, a Python traceback header, a closing brace.
  if (c === 32 || c === 9 || c === 125) return true;
  if (c === 97 && line.startsWith('at ')) return true;
  if (c === 67 && line.startsWith('Caused by:')) return true;
  if (c === 83 && line.startsWith('Suppressed:')) return true;
  if (c === 46 && line.startsWith('...')) return true;
  if (c === 84 && line.startsWith('Traceback (most recent call last):')) return true;
  // A Go stack dump after a panic or a glog Fatal line: `goroutine 1 [running]:`, then indented frames.
  if (c === 103 && /^goroutine \d{1,12} \[/.test(line)) return true;
  return isExceptionLine(line);
}
