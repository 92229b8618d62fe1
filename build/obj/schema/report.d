build/obj/schema/report.o: schema/report.c schema/report.h \
 schema/event_types.def schema/util.h
schema/report.h:
schema/event_types.def:
schema/util.h:
