/*
 * The one way text from the user (the target path, a job name) enters a fio job file. fio reads a
 * job file line by line, drops what follows ';' or '#', strips blanks at both ends, expands ${VAR}
 * from the environment, and splits a file name at ':' ('\:' is a literal colon). So a value is
 * refused when it holds a control character (a newline would start a new option: exec_prerun=...),
 * ';', '#', '$' or '\', or starts or ends with a blank; in a file name ':' is written as '\:'.
 * A comment line only has to stay one line: there, control characters are shown escaped (\n).
 */
#ifndef DAXPERF_FIO_QUOTE_H
#define DAXPERF_FIO_QUOTE_H

#include <stddef.h>

enum fio_field { FIO_COMMENT, FIO_FILENAME };

/* VALUE as fio must read it, into out; 0, or -1 with why ("fio cannot be given '<value>': it holds
 * ...", the value shown with its control characters escaped) and out empty. FIO_COMMENT never fails. */
int fio_quote(enum fio_field kind, const char *value, char *out, size_t len, char *why, size_t whylen);

#endif
