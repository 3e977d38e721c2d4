// The verify page: read the QR payload from the URL fragment (it never reaches the server
// by itself), post it to /api/v1/scan, and render the answer with textContent only.
"use strict";

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
  return moment.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) + " (UTC+8)";
}

function checkMessage(answer, name) {
  const found = answer.checks.find((c) => c.check === name);
  return found ? found.message : null;
}

function addFact(list, zh, en, value) {
  const dt = el("dt");
  dt.appendChild(bilingual(zh, en));
  const dd = el("dd");
  dd.appendChild(value instanceof Node ? value : label(value));
  list.appendChild(dt);
  list.appendChild(dd);
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
    const shown = Array.isArray(value)
      ? value.map((v) => (v && typeof v === "object" ? v.zh + " " + v.en : String(v))).join("、")
      : value;
    addFact(list, names.zh, names.en, shown);
  }
  if (answer.issuer) addFact(list, "签发机构", "Issuer", answer.issuer.name);
  addFact(list, "签发时间", "Issued", when(record.issuedAt));
  addFact(list, "生效", "Valid from", when(record.validFrom));
  addFact(list, "有效期至", "Valid until", record.validUntil ? when(record.validUntil) : { zh: "长期有效", en: "no end date" });
  addFact(list, "状态", "Status", checkMessage(answer, "status") || { zh: "无法核实", en: "could not check" });
  const status = answer.checks.find((c) => c.check === "status");
  const detail = (status && status.detail) || {};
  if (detail.reason) addFact(list, "原因", "Reason", detail.reason);
  if (detail.supersededBy) addFact(list, "现行版本", "Current version", detail.supersededBy.id);
  document.getElementById("record").hidden = false;
  document.getElementById("match").hidden = false;
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

async function check() {
  const payload = decodeURIComponent(window.location.hash.slice(1));
  if (!payload) {
    verdict(false, "链接中没有二维码内容", "The link holds no QR content");
    return;
  }
  let answer;
  try {
    const response = await fetch("/api/v1/scan", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ payload }),
    });
    answer = await response.json();
  } catch (error) {
    verdict(false, "无法连接核验服务", "The verification service could not be reached");
    return;
  }
  if (!answer.checks) {
    verdict(false, answer.message ? answer.message.zh : "核验失败", answer.message ? answer.message.en : "Check failed");
    return;
  }
  if (answer.verified) {
    verdict(true, "有效：记录真实且当前有效", "VALID: genuine and current");
  } else {
    const first = answer.problemDetails && answer.problemDetails[0];
    const why = answer.checks.find((c) => c.outcome === "failed" || c.outcome === "unknown");
    verdict(false, "无效：" + (why ? why.message.zh : ""), "NOT VALID: " + (why ? why.message.en : first ? first.title : ""));
  }
  renderRecord(answer);
  renderChecks(answer);
  const form = document.getElementById("match-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = document.getElementById("id-number");
    const out = document.getElementById("match-result");
    out.textContent = "";
    try {
      const response = await fetch("/api/v1/verify/match", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ record: answer.record.id, idNumber: input.value.trim() }),
      });
      const result = await response.json();
      out.appendChild(bilingual(result.message.zh, result.message.en));
      out.className = result.match ? "verdict valid" : "verdict invalid";
    } catch (error) {
      out.textContent = "核对失败 / check failed";
    }
    input.value = "";
  });
}

document.addEventListener("DOMContentLoaded", check);
