//! Integration tests: the real `ta-scorecard` binary run on the bundled samples and on small
//! fixtures written by each test.

mod average;
mod browser;
mod compare;
mod corpus;
mod currencies;
mod errors;
mod exports;
mod fiscal;
mod forecast;
mod fuzz;
mod health;
mod ownership;
mod pages;
mod parquet;
mod plan;
mod provenance;
mod quality;
mod samples;
mod score;
mod shell;
mod show;
mod util;
mod workbook;
