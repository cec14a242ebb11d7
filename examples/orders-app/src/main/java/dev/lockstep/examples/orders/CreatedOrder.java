package dev.lockstep.examples.orders;

import java.util.List;

/** A new order's id, and the amount columns the write filled. */
public record CreatedOrder(long id, List<String> columns) {}
