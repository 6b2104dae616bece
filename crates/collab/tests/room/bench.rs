//! Measurements (memory per room, receive() cost, snapshot encode), run by hand.
