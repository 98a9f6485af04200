/*
 * Findings in a kernel log (dmesg text): WARNING, BUG, Oops, hung tasks, lone call traces and memory
 * failures, each with the function and file:line the kernel named. Used by `daxperf diff` on the
 * lab's dmesg.txt and meant for anything else that reads a guest's log.
 */
#ifndef DAXPERF_KERNLOG_H
#define DAXPERF_KERNLOG_H

#include <jansson.h>

struct kern_event {
	char kind[24];       /* WARNING, BUG, Oops, hung task, Call Trace, Memory failure */
	char function[128];  /* dax_insert_entry, or "" */
	char location[128];  /* fs/dax.c:380, or "" */
	char text[256];      /* the line, without its timestamp */
};

/* Calls fn for each finding in text, in order; returns how many. */
unsigned kernlog_scan(const char *text, void (*fn)(void *ctx, const struct kern_event *ev), void *ctx);
/* The findings as [{kind, function, location, text}] (the shape of a result's kernel_events). */
json_t *kernlog_events_json(const char *text);
/* Whether a finding of this kind means the kernel misbehaved (a memory failure report does not). */
int kernlog_kind_is_fault(const char *kind);

#endif
