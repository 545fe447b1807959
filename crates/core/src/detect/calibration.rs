//! From features to a probability: a logistic model per language model,
//! fitted on labelled human and machine texts and kept in a small JSON file.
//! The default model's is compiled in; a file in `<data>/detect/` fitted for
//! another model (`detect_eval --write`) takes its place. A model with none
//! falls back to a fit on Fast-DetectGPT's discrepancy alone, which is
//! normalised per token and so travels between models best, and the verdict
//! says it is uncalibrated.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::features::Features;
use super::DetectError;

/// The calibrations shipped with Deskpilot: the default model's, then the
/// discrepancy-only fallback for any other model.
const SHIPPED: &[&str] = &[
    include_str!("../../calibration/smollm2-135m-instruct-q4_1.json"),
    include_str!("../../calibration/generic.json"),
];

/// A fitted logistic model over named features.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Calibration {
    /// The model it was fitted for (GGUF `general.name`), or `*` for the
    /// fallback used with any model.
    pub model: String,
    /// Its quantization (`Q4_1`); `*` for any.
    pub quantization: String,
    /// Feature names (see [`Features::get`]).
    pub features: Vec<String>,
    /// Standardisation: (value - mean) / scale before the weights.
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
    pub weights: Vec<f64>,
    pub bias: f64,
    /// What it was fitted on, for the record.
    pub fitted_on: String,
    /// AUROC on texts held out of the fit.
    pub holdout_auroc: Option<f64>,
}

impl Calibration {
    /// The probability that a text with these features is machine-written.
    pub fn probability(&self, f: &Features) -> f64 {
        sigmoid(self.logit(f))
    }

    /// The log-odds that a text with these features is machine-written:
    /// unlike the probability, it does not flatten out near 0 and 1.
    pub fn logit(&self, f: &Features) -> f64 {
        let mut z = self.bias;
        for (k, name) in self.features.iter().enumerate() {
            let x = f.get(name).unwrap_or(0.0);
            z += self.weights[k] * (x - self.mean[k]) / self.scale[k];
        }
        z
    }

    /// Whether this calibration was fitted for the model.
    pub fn fits(&self, name: &str, quantization: &str) -> bool {
        (self.model == "*" || self.model.eq_ignore_ascii_case(name))
            && (self.quantization == "*" || self.quantization.eq_ignore_ascii_case(quantization))
    }

    /// Whether it is the fallback for any model.
    pub fn is_generic(&self) -> bool {
        self.model == "*"
    }

    fn check(self, origin: &str) -> Result<Calibration, DetectError> {
        let n = self.features.len();
        let bad = |detail: String| DetectError::Calibration {
            file: origin.to_owned(),
            detail,
        };
        if n == 0 || self.mean.len() != n || self.scale.len() != n || self.weights.len() != n {
            return Err(bad(format!(
                "{n} features need as many means, scales and weights"
            )));
        }
        if let Some(name) = self
            .features
            .iter()
            .find(|f| Features::default().get(f).is_none())
        {
            return Err(bad(format!("unknown feature '{name}'")));
        }
        let numbers = self.mean.iter().chain(&self.weights).chain([&self.bias]);
        if numbers.into_iter().any(|v| !v.is_finite())
            || self.scale.iter().any(|s| !s.is_finite() || *s <= 0.0)
        {
            return Err(bad(
                "a number is not finite, or a scale is not positive".into()
            ));
        }
        Ok(self)
    }

    /// Reads and checks a calibration file.
    pub fn load(path: &Path) -> Result<Calibration, DetectError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| DetectError::Calibration {
            file: origin.clone(),
            detail: e.to_string(),
        })?;
        let cal: Calibration =
            serde_json::from_str(&text).map_err(|e| DetectError::Calibration {
                file: origin.clone(),
                detail: e.to_string(),
            })?;
        cal.check(&origin)
    }

    /// The calibration to use for a model: a matching file in `dir` (the
    /// data folder's `detect/`), else a shipped one, else the generic one.
    pub fn for_model(
        name: &str,
        quantization: &str,
        dir: Option<&Path>,
    ) -> Result<Calibration, DetectError> {
        if let Some(dir) = dir {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            files.sort();
            for file in files {
                let cal = Calibration::load(&file)?;
                if !cal.is_generic() && cal.fits(name, quantization) {
                    return Ok(cal);
                }
            }
        }
        let shipped = shipped()?;
        let pick = shipped
            .iter()
            .find(|c| !c.is_generic() && c.fits(name, quantization))
            .or_else(|| shipped.iter().find(|c| c.is_generic()));
        pick.cloned().ok_or_else(|| DetectError::Calibration {
            file: "shipped calibrations".into(),
            detail: "no generic calibration".into(),
        })
    }

    /// Fits a logistic model (Newton's method with a little L2, on
    /// standardised features) to labelled feature sets; `true` = machine.
    pub fn fit(
        model: &str,
        quantization: &str,
        names: &[&str],
        samples: &[(Features, bool)],
        fitted_on: &str,
    ) -> Calibration {
        let n = names.len();
        let rows: Vec<Vec<f64>> = samples
            .iter()
            .map(|(f, _)| names.iter().map(|k| f.get(k).unwrap_or(0.0)).collect())
            .collect();
        let count = rows.len().max(1) as f64;
        let mean: Vec<f64> = (0..n)
            .map(|k| rows.iter().map(|r| r[k]).sum::<f64>() / count)
            .collect();
        let scale: Vec<f64> = (0..n)
            .map(|k| {
                let v = rows.iter().map(|r| (r[k] - mean[k]).powi(2)).sum::<f64>() / count;
                if v > 1e-12 {
                    v.sqrt()
                } else {
                    1.0
                }
            })
            .collect();
        // Design rows with a leading 1 for the bias.
        let x: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| {
                std::iter::once(1.0)
                    .chain((0..n).map(|k| (r[k] - mean[k]) / scale[k]))
                    .collect()
            })
            .collect();
        let y: Vec<f64> = samples
            .iter()
            .map(|(_, m)| f64::from(u8::from(*m)))
            .collect();
        let lambda = 1e-2;
        let mut beta = vec![0.0; n + 1];
        for _ in 0..50 {
            let mut grad = vec![0.0; n + 1];
            let mut hess = vec![vec![0.0; n + 1]; n + 1];
            for (xi, yi) in x.iter().zip(&y) {
                let p = sigmoid(dot(xi, &beta));
                let w = (p * (1.0 - p)).max(1e-9);
                for a in 0..=n {
                    grad[a] += (p - yi) * xi[a];
                    for b in 0..=n {
                        hess[a][b] += w * xi[a] * xi[b];
                    }
                }
            }
            for a in 1..=n {
                grad[a] += lambda * beta[a];
                hess[a][a] += lambda;
            }
            let Some(step) = solve(hess, grad) else { break };
            let mut moved = 0.0f64;
            for a in 0..=n {
                beta[a] -= step[a];
                moved = moved.max(step[a].abs());
            }
            if moved < 1e-9 {
                break;
            }
        }
        Calibration {
            model: model.to_owned(),
            quantization: quantization.to_owned(),
            features: names.iter().map(|s| (*s).to_owned()).collect(),
            mean,
            scale,
            weights: beta[1..].to_vec(),
            bias: beta[0],
            fitted_on: fitted_on.to_owned(),
            holdout_auroc: None,
        }
    }
}

/// Every shipped calibration, checked.
pub fn shipped() -> Result<Vec<Calibration>, DetectError> {
    SHIPPED
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let origin = format!("shipped calibration {i}");
            serde_json::from_str::<Calibration>(text)
                .map_err(|e| DetectError::Calibration {
                    file: origin.clone(),
                    detail: e.to_string(),
                })?
                .check(&origin)
        })
        .collect()
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (top, rest) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (offset, row) in rest.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row.iter_mut().zip(pivot_row).skip(col) {
                *x -= f * p;
            }
            b[col + 1 + offset] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(discrepancy: f64, log_rank: f64) -> Features {
        Features {
            discrepancy,
            log_rank,
            ..Features::default()
        }
    }

    #[test]
    fn a_fit_separates_what_the_features_separate() {
        let mut samples = Vec::new();
        for i in 0..200 {
            let noise = f64::from((i * 37 % 17) as u8) / 17.0 - 0.5;
            samples.push((with(1.0 + noise, 2.0), true));
            samples.push((with(-1.0 + noise, 2.0), false));
        }
        let cal = Calibration::fit("m", "q", &["discrepancy", "log_rank"], &samples, "test");
        assert!(cal.probability(&with(1.5, 2.0)) > 0.9);
        assert!(cal.probability(&with(-1.5, 2.0)) < 0.1);
        assert!(cal.weights[0] > 0.0);
        let back: Calibration =
            serde_json::from_str(&serde_json::to_string(&cal).unwrap()).expect("round trip");
        assert_eq!(back, cal);
    }

    #[test]
    fn the_shipped_calibrations_load_and_include_a_generic_one() {
        let all = shipped().expect("shipped calibrations are valid");
        assert!(all.iter().any(Calibration::is_generic));
        let default =
            Calibration::for_model("Smollm2 135M 8k Lc100K Mix1 Ep2", "Q4_1", None).unwrap();
        assert!(
            !default.is_generic(),
            "the default model has its own calibration"
        );
        let other = Calibration::for_model("Some Other Model", "Q8_0", None).unwrap();
        assert!(other.is_generic());
    }

    #[test]
    fn a_broken_calibration_file_is_named_in_the_error() {
        let dir = std::env::temp_dir().join(format!("deskpilot-cal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("broken.json");
        std::fs::write(&file, "{\"model\": 3}").unwrap();
        let err = Calibration::for_model("x", "y", Some(&dir)).unwrap_err();
        assert!(err.to_string().contains("broken.json"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
