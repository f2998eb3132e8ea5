# SPDX-License-Identifier: GPL-2.0-only
#
# mvgpu: build the module against the Debian 6.12 LTS headers, the tools
# and the userspace tests.  "make help" lists the targets.

KVER ?= $(shell $(CURDIR)/scripts/kernel.sh --version 2>/dev/null || uname -r)
KDIR ?= /usr/src/linux-headers-$(KVER)

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

unit:
	$(MAKE) -C tests/unit run

check:
	tests/run.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build

help:
	@echo "make [module|tools|unit|check|clean]  KVER=$(KVER)"

.PHONY: all module tools unit check clean help
