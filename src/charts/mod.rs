//! `kata stats` as pictures (pure): a calendar heatmap of checks per day, mastery bars per
//! topic, and the time each exercise took to pass. Every picture is laid out for a width in
//! columns and drawn with characters that tell levels apart without colour; with colour on,
//! the styles add shades.

pub mod bars;
pub mod calendar;
