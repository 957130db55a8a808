-- Numbers each roster change as it takes its pair's lock, so that roster pushes sent from different threads or
-- replicas can be put back in the order the changes committed. One value at a time (no per-connection cache):
-- a cached block would let a later change draw a smaller number on another connection.
CREATE SEQUENCE roster_change_order CACHE 1;
