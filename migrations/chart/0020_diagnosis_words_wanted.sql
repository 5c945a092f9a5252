-- Stride chart store, version 20: the diagnosis codes the chart's episodes use that have no
-- words kept (version 17), kept by triggers on both sides. Opening the chart asks this short
-- list (`Chart::keep_missing_diagnosis_words`) instead of reading every episode's diagnoses:
-- in a clinic of 100,000 patients that read cost a scan at every start and 6 MB of pages.
-- Derived and kept on this device only, as the words are.
CREATE TABLE diagnosis_words_wanted (
    code TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

INSERT INTO diagnosis_words_wanted (code)
SELECT DISTINCT icd10 FROM episode_diagnosis WHERE icd10 NOT IN (SELECT code FROM diagnosis_words);

-- A diagnosis entered here, or brought by a sync, whose code has no words yet.
CREATE TRIGGER diagnosis_words_wanted_on_insert AFTER INSERT ON episode_diagnosis
WHEN NOT EXISTS (SELECT 1 FROM diagnosis_words WHERE code = NEW.icd10)
BEGIN
    INSERT OR IGNORE INTO diagnosis_words_wanted (code) VALUES (NEW.icd10);
END;

CREATE TRIGGER diagnosis_words_wanted_on_update AFTER UPDATE OF icd10 ON episode_diagnosis
WHEN NOT EXISTS (SELECT 1 FROM diagnosis_words WHERE code = NEW.icd10)
BEGIN
    INSERT OR IGNORE INTO diagnosis_words_wanted (code) VALUES (NEW.icd10);
END;

-- Words kept: no longer wanted. Words forgotten for a code still in use: wanted again.
CREATE TRIGGER diagnosis_words_kept AFTER INSERT ON diagnosis_words
BEGIN
    DELETE FROM diagnosis_words_wanted WHERE code = NEW.code;
END;

CREATE TRIGGER diagnosis_words_forgotten AFTER DELETE ON diagnosis_words
WHEN EXISTS (SELECT 1 FROM episode_diagnosis WHERE icd10 = OLD.code)
BEGIN
    INSERT OR IGNORE INTO diagnosis_words_wanted (code) VALUES (OLD.code);
END;
