/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small streaming JSON writer for mvgpuctl --json: objects and arrays
 * nest, commas are placed by the writer, strings are escaped.
 */
#ifndef _MVGPUCTL_JSON_H
#define _MVGPUCTL_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	8

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
/* @key is NULL inside an array; else the member's name. */
void json_begin_object(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
void json_string(struct json *j, const char *key, const char *val);
void json_int(struct json *j, const char *key, long long val);
void json_double(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);

#endif /* _MVGPUCTL_JSON_H */
