// The verify page: read the QR payload from the URL fragment (it never reaches the server
// by itself), post it to /api/v1/scan with the region the employer chose (remembered on
// this phone), and render the answer with textContent only.
"use strict";

const REGION_KEY = "yrd-registry.region";
const ELSEWHERE = "other";
const ZONE_REGIONS = {
  "310118": { zh: "青浦区", en: "Qingpu" },
  "320509": { zh: "吴江区", en: "Wujiang" },
  "330421": { zh: "嘉善县", en: "Jiashan" },
};
let current = null; // the answer on screen, for the holder match
let asked = 0; // the latest request, so that a slower earlier answer is dropped

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function bilingual(zh, en) {
  const span = el("span", "", zh);
  span.appendChild(el("span", "en", en));
  return span;
}

function label(value) {
  if (value && typeof value === "object" && "zh" in value) return bilingual(value.zh, value.en);
  return document.createTextNode(value === null || value === undefined ? "—" : String(value));
}

function when(instant) {
  if (!instant) return null;
  const moment = new Date(instant);
  if (Number.isNaN(moment.getTime())) return instant;
  return moment.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) + "（北京时间 / China time）";
}

function findCheck(answer, name) {
  return answer.checks.find((c) => c.check === name) || null;
}

function addFact(list, zh, en, value) {
  const dt = el("dt");
  dt.appendChild(bilingual(zh, en));
  const dd = el("dd");
  dd.appendChild(value instanceof Node ? value : label(value));
  list.appendChild(dt);
  list.appendChild(dd);
}

function storedRegion() {
  try {
    return window.localStorage.getItem(REGION_KEY);
  } catch (error) {
    return null; // storage switched off: the choice lasts for this page only
  }
}

function rememberRegion(value) {
  try {
    window.localStorage.setItem(REGION_KEY, value);
  } catch (error) {
    // storage switched off: nothing to remember with
  }
}

function chosenRegion() {
  const picked = document.querySelector("#region-form input[name=region]:checked");
  return picked ? picked.value : null;
}

function shownValue(answer, name, value) {
  // The joint committee is the issuer of its own joint titles: show its name, not its code.
  if (name === "jointCommittee" && answer.issuer && answer.issuer.uscc === value) {
    return answer.issuer.name;
  }
  if (Array.isArray(value)) {
    return value.map((v) => (v && typeof v === "object" ? v.zh + " " + v.en : String(v))).join("、");
  }
  return value;
}

function renderRecord(answer) {
  const record = answer.record;
  if (!record) return;
  const list = document.getElementById("facts");
  addFact(list, "类型", "Type", record.type);
  addFact(list, "姓名", "Name", record.maskedName);
  // The record type's own facts, in the order the answer gives them, with their labels.
  const details = record[record.detailsKey] || {};
  const labels = record.labels || {};
  for (const [name, value] of Object.entries(details)) {
    const names = labels[name] || { zh: name, en: name };
    addFact(list, names.zh, names.en, shownValue(answer, name, value));
  }
  if (answer.issuer) addFact(list, "签发机构", "Issuer", answer.issuer.name);
  addFact(list, "签发时间", "Issued", when(record.issuedAt));
  addFact(list, "生效", "Valid from", when(record.validFrom));
  addFact(list, "有效期至", "Valid until", record.validUntil ? when(record.validUntil) : { zh: "长期有效", en: "no end date" });
  const status = findCheck(answer, "status");
  addFact(list, "状态", "Status", status ? status.message : { zh: "无法核实", en: "could not check" });
  const detail = (status && status.detail) || {};
  if (detail.reason) addFact(list, "原因", "Reason", detail.reason);
  if (detail.supersededBy) {
    const next = detail.supersededBy;
    let shown = next.id;
    if (next.verifyUrl) {
      shown = el("a");
      shown.href = next.verifyUrl;
      shown.id = "current-version";
      shown.appendChild(bilingual("查看现行版本", "Open the current version"));
    }
    addFact(list, "现行版本", "Current version", shown);
  }
  document.getElementById("record").hidden = false;
  document.getElementById("match").hidden = false;
}

function renderRecognition(answer, region) {
  const section = document.getElementById("recognition");
  const box = document.getElementById("recognition-verdict");
  const list = document.getElementById("recognition-facts");
  box.textContent = "";
  list.textContent = "";
  section.hidden = false;
  if (!region) {
    box.className = "verdict pending";
    box.appendChild(bilingual("请在上方选择您所在的地区，查看这份记录在当地是否有效。", "Choose where you are above to see whether this record counts there."));
    return;
  }
  if (region === ELSEWHERE) {
    box.className = "verdict pending";
    box.appendChild(bilingual(
      "“三地互认”适用于青浦、吴江、嘉善。在其他地区使用，请向当地人社部门咨询是否认可。",
      "Mutual recognition covers Qingpu, Wujiang and Jiashan. Elsewhere, ask the local human-resources bureau whether the record counts."));
    return;
  }
  const check = findCheck(answer, "recognition");
  const place = ZONE_REGIONS[region] || { zh: region, en: region };
  if (!check || check.outcome === "skipped") {
    box.className = "verdict pending";
    box.appendChild(bilingual("无法判断在" + place.zh + "是否互认：" + (check ? check.message.zh : ""), "Could not tell whether it counts in " + place.en + (check ? ": " + check.message.en : "")));
    return;
  }
  const recognised = check.outcome === "passed";
  box.className = "verdict " + (recognised ? "valid" : "invalid");
  box.appendChild(recognised
    ? bilingual("在" + place.zh + "互认有效，无需重新评审", "Recognised in " + place.en + ": no second review needed")
    : bilingual("在" + place.zh + "不予互认", "Not recognised in " + place.en));
  box.appendChild(el("p", "reason")).appendChild(bilingual(check.message.zh, check.message.en));
  const detail = check.detail || {};
  const agreement = detail.agreement;
  if (agreement) {
    addFact(list, "互认协议", "Agreement", agreement.name);
    const basis = agreement.legalBasis + (agreement.legalArticle ? " " + agreement.legalArticle : "");
    addFact(list, "法律依据", "Legal basis", basis);
    addFact(list, "生效日期", "In force from", agreement.effectiveFrom);
  }
  for (const equivalent of detail.equivalent || []) {
    if (equivalent.kind === "level") {
      addFact(list, "本地区级别", "Level here", equivalent.label);
    } else {
      addFact(list, "相当于本地区", "Equivalent here", equivalent.label);
    }
  }
}

function renderChecks(answer) {
  const list = document.getElementById("checks");
  for (const check of answer.checks) {
    const item = el("li", check.outcome);
    item.appendChild(bilingual(check.message.zh, check.message.en));
    item.appendChild(el("code", "", check.code));
    list.appendChild(item);
  }
  document.getElementById("checks-section").hidden = false;
}

function verdict(ok, zh, en) {
  const box = document.getElementById("verdict");
  box.className = "verdict " + (ok ? "valid" : "invalid");
  const text = document.getElementById("verdict-text");
  text.textContent = "";
  text.appendChild(bilingual(zh, en));
}

function clearAnswer() {
  current = null;
  for (const id of ["facts", "checks", "recognition-facts", "recognition-verdict", "match-result"]) {
    document.getElementById(id).textContent = "";
  }
  for (const id of ["record", "match", "checks-section", "recognition"]) {
    document.getElementById(id).hidden = true;
  }
  const box = document.getElementById("verdict");
  box.className = "verdict pending";
  box.hidden = false;
  const text = document.getElementById("verdict-text");
  text.textContent = "";
  text.appendChild(bilingual("正在核验…", "Checking…"));
}

async function check() {
  const ticket = ++asked;
  clearAnswer();
  const payload = decodeURIComponent(window.location.hash.slice(1));
  if (!payload) {
    verdict(false, "链接中没有二维码内容", "The link holds no QR content");
    return;
  }
  const region = chosenRegion();
  const body = { payload };
  if (region && region !== ELSEWHERE) body.region = region;
  let answer;
  try {
    const response = await fetch("/api/v1/scan", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    answer = await response.json();
  } catch (error) {
    if (ticket === asked) verdict(false, "无法连接核验服务", "The verification service could not be reached");
    return;
  }
  if (ticket !== asked) return;
  if (!answer.checks) {
    verdict(false, answer.message ? answer.message.zh : "核验失败", answer.message ? answer.message.en : "Check failed");
    return;
  }
  current = answer;
  if (answer.verified) {
    verdict(true, "有效：记录真实且当前有效", "VALID: genuine and current");
  } else {
    const first = answer.problemDetails && answer.problemDetails[0];
    const why = answer.checks.find((c) => c.outcome === "failed" || c.outcome === "unknown");
    verdict(false, "无效：" + (why ? why.message.zh : ""), "NOT VALID: " + (why ? why.message.en : first ? first.title : ""));
  }
  if (answer.record) renderRecognition(answer, region);
  renderRecord(answer);
  renderChecks(answer);
}

async function matchHolder(event) {
  event.preventDefault();
  const input = document.getElementById("id-number");
  const out = document.getElementById("match-result");
  out.textContent = "";
  if (!current || !current.record) return;
  try {
    const response = await fetch("/api/v1/verify/match", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ record: current.record.id, idNumber: input.value.trim() }),
    });
    const result = await response.json();
    out.appendChild(bilingual(result.message.zh, result.message.en));
    out.className = result.match ? "verdict valid" : "verdict invalid";
  } catch (error) {
    out.textContent = "核对失败 / check failed";
  }
  input.value = "";
}

function start() {
  const remembered = storedRegion();
  if (remembered) {
    const radio = document.querySelector("#region-form input[value='" + CSS.escape(remembered) + "']");
    if (radio) radio.checked = true;
  }
  document.getElementById("region").hidden = false;
  document.getElementById("region-form").addEventListener("change", () => {
    const region = chosenRegion();
    if (region) rememberRegion(region);
    check();
  });
  document.getElementById("match-form").addEventListener("submit", matchHolder);
  window.addEventListener("hashchange", check);
  check();
}

document.addEventListener("DOMContentLoaded", start);
