build/obj/cli/common.o: cli/common.c cli/cli.h schema/report.h \
 schema/event_types.def schema/util.h
cli/cli.h:
schema/report.h:
schema/event_types.def:
schema/util.h:
