"""Source of evals/questions/questions.jsonl (run it to regenerate). One tuple per question:
(split, group, intent, question, conversation, answerable, key_facts, expected_source)
key_facts must each appear in a cited quote; expected_source is a substring of the passage that answers it.
The test split was written before the code was run on any of its questions; thresholds are tuned on dev only."""

import json
from pathlib import Path

W, P, N = "workforce", "policy", "newcomer"
Q = [
    # ---- workforce: where data lives
    ("dev", W, "who_holds", "Who holds data on kinship care?", [], True, ["SCADR"], "Growing Up in Kinship Care"),
    ("dev", W, "how_access", "How do I get access to the LAC longitudinal dataset?", [], True, ["secure access"], "Not open data: apply for secure access"),
    ("dev", W, "how_often", "How often is CLAS updated?", [], True, ["Annual"], "Dataset: Children Looked After Statistics"),
    ("dev", W, "who_holds", "Who publishes the SCRA official statistics?", [], True, ["Scottish Children's Reporter Administration"], "Dataset: SCRA Official Statistics"),
    ("dev", W, "how_often", "How often are SCRA statistics published?", [], True, ["financial year"], "Dataset: SCRA Official Statistics"),
    ("dev", W, "who_holds", "Who holds the Early Child Development statistics?", [], True, ["Public Health Scotland"], "Dataset: Early Child Development statistics"),
    ("dev", W, "how_access", "How can I access Early Child Development data?", [], True, ["open data"], "Dataset: Early Child Development statistics"),
    ("dev", W, "who_holds", "Who runs DataLoch?", [], True, ["NHS Lothian"], "Dataset: DataLoch"),
    ("dev", W, "how_access", "How do researchers apply to use DataLoch?", [], True, ["safe-researcher training"], "Dataset: DataLoch"),
    ("dev", W, "who_holds", "Who holds the Health and Wellbeing Census data?", [], True, ["data controller"], "Dataset: Health and Wellbeing Census"),
    ("dev", W, "how_often", "How often is the Health and Wellbeing Census run?", [], True, ["Not stated"], "Dataset: Health and Wellbeing Census"),
    ("dev", W, "who_holds", "Who holds secure care statistics?", [], True, ["Scottish Government"], "Dataset: Secure Care statistics"),
    ("dev", W, "who_holds", "Who runs Growing Up in Scotland?", [], True, ["ScotCen"], "Dataset: Growing Up in Scotland"),
    ("dev", W, "how_access", "How do I access Growing Up in Scotland data?", [], True, ["UK Data Service"], "Dataset: Growing Up in Scotland"),
    ("dev", W, "who_holds", "Who holds Child Protection statistics?", [], True, ["Scottish Government"], "Dataset: Child Protection statistics"),
    ("dev", W, "who_holds", "Who maintains the Local Government Benchmarking Framework?", [], True, ["Improvement Service"], "Dataset: Local Government Benchmarking Framework"),
    ("dev", W, "who_holds", "Who holds the Children's Social Work Statistics?", [], True, ["Scottish Government"], "Dataset: Children's Social Work Statistics"),
    ("dev", W, "who_holds", "Who holds data on children in secure care?", [], True, ["Scottish Government"], "Dataset: Secure Care statistics"),
    ("test", W, "who_holds", "Which organisation holds data on care leavers receiving aftercare?", [], True, ["Scottish Government"], "Care leavers, continuing care and aftercare"),
    ("test", W, "how_access", "How can I get hold of the Care Inspectorate statistics?", [], True, ["Open Government Licence"], "Dataset: Care Inspectorate statistics"),
    ("test", W, "how_often", "How often does the Care Inspectorate publish its statistical summary?", [], True, ["Quarterly"], "Dataset: Care Inspectorate statistics"),
    ("test", W, "who_holds", "Who is responsible for the Education Outcomes for Looked After Children publication?", [], True, ["Scottish Government"], "Dataset: Education Outcomes for Looked After Children"),
    ("test", W, "how_often", "When is EOLAC usually published?", [], True, ["June"], "Dataset: Education Outcomes for Looked After Children"),
    ("test", W, "who_holds", "Who holds the National Hub data on child deaths?", [], True, ["Healthcare Improvement Scotland"], "Dataset: National Hub for Reviewing"),
    ("test", W, "how_access", "How do approved researchers access public sector data through Research Data Scotland?", [], True, ["approved researcher"], "Dataset: Research Data Scotland Researcher Access Service"),
    ("test", W, "who_holds", "Who holds the Promise Progress Framework dashboard?", [], True, ["COSLA"], "Dataset: The Promise Progress Framework dashboard"),
    ("test", W, "how_often", "How often is the Promise Progress Framework updated?", [], True, ["Rolling updates"], "Dataset: The Promise Progress Framework dashboard"),
    ("test", W, "who_holds", "Who holds the Children's Health in Care in Scotland cohort data?", [], True, ["University of Glasgow"], "Dataset: Children's Health in Care in Scotland"),
    ("test", W, "how_access", "How do I access the Scottish Safe Haven Network?", [], True, ["eDRIS"], "Dataset: Scottish Safe Haven Network"),
    ("test", W, "who_holds", "Who holds school leaver destination statistics?", [], True, ["Skills Development Scotland"], "Dataset: Summary Statistics for Attainment"),
    ("test", W, "who_holds", "Where can I find data on children referred to the Children's Reporter?", [], True, ["Scottish Children's Reporter Administration"], "Dataset: SCRA Official Statistics"),
    ("test", W, "who_holds", "Who holds the Promise Data Map?", [], True, ["The Promise Scotland"], "Dataset: The Promise Data Map"),
    ("test", W, "how_often", "How often is the LAC longitudinal dataset updated?", [], True, ["every two years"], "Dataset: Looked After Children Longitudinal Dataset"),
    ("test", W, "how_access", "How do I get the Child Protection linkage data?", [], True, ["ADR UK"], "Dataset: Child Protection statistics"),
    ("test", W, "how_often", "How often is Growing Up in Scotland surveyed?", [], True, ["every two years"], "Dataset: Growing Up in Scotland"),
    # ---- policy: route-map commitments
    ("dev", P, "who_must_act", "What does Public Health Scotland have to do?", [], True, ["CHaMP"], "Public Health Scotland take forward"),
    ("dev", P, "due_when", "What is due by March 2027?", [], True, ["Microsoft 365"], "By March 2027"),
    ("dev", P, "who_must_act", "Who needs to work on the Common Data Platform?", [], True, ["Prevention Hub"], "By end 2026 the full business case"),
    ("dev", P, "due_when", "What milestones are set for 2028?", [], True, ["no milestones identified"], "There are no milestones identified"),
    ("dev", P, "who_must_act", "What must COSLA do?", [], True, ["COSLA"], "review the Promise Progress Framework indicators"),
    ("dev", P, "due_when", "When will the Promise Data Map launch?", [], True, ["December 2025"], "It will launch in December 2025"),
    ("dev", P, "who_must_act", "What will the Scottish Government do about data on sibling relationships?", [], True, ["Community of Practice for Siblings"], "Community of Practice for Siblings to develop"),
    ("dev", P, "who_must_act", "Who is rolling out Microsoft 365?", [], True, ["Local Government Digital Office"], "By March 2027"),
    ("dev", P, "due_when", "What is due by end 2026?", [], True, ["Common Data Platform"], "By end 2026 the full business case"),
    ("dev", P, "due_when", "What milestones fall in 2025?", [], True, ["Spring 2025"], "By Spring 2025"),
    ("dev", P, "who_must_act", "Who needs to work on the data, ethics and participation toolkit?", [], True, ["Edinburgh Futures Institute"], "data, ethics and participation toolkit"),
    ("dev", P, "who_must_act", "What is the Prevention Hub expected to deliver?", [], True, ["business case"], "By end 2026 the full business case"),
    ("dev", P, "due_when", "What was due by Spring 2025?", [], True, ["feedback"], "By Spring 2025"),
    ("dev", P, "who_must_act", "What does the Improvement Service have to do?", [], True, ["Improvement Service"], "Scalable Approach to Vulnerability"),
    ("test", P, "who_must_act", "What does the Scottish Government have to do on the Promise Progress Framework?", [], True, ["rolling updates"], "begin rolling updates"),
    ("test", P, "due_when", "What is due next year?", [], True, ["Microsoft 365"], "By March 2027"),
    ("test", P, "due_when", "What is due this year?", [], True, ["2026"], "By end 2026"),
    ("test", P, "who_must_act", "Who needs to work on the SAVVI approach?", [], True, ["Improvement Service"], "Scalable Approach to Vulnerability"),
    ("test", P, "who_must_act", "What does Social Work Scotland have to do?", [], True, ["implications for local systems"], "Social Work Scotland and COSLA to engage"),
    ("test", P, "who_must_act", "What will Public Health Scotland do with data linkage?", [], True, ["health outcomes"], "Public Health Scotland take forward"),
    ("test", P, "who_must_act", "Which organisations must work on child protection legislative reform?", [], True, ["Scottish Government"], "strengthen or simplify child protection"),
    ("test", P, "who_must_act", "What are CELCIS and the Children and Young People Improvement Collaborative doing?", [], True, ["learning sessions"], "hosting a series of learning sessions"),
    ("test", P, "due_when", "What milestones are set for 2029?", [], True, ["no milestones identified"], "There are no milestones identified"),
    ("test", P, "due_when", "What was due by Summer 2025 in the 2024 route map?", [], True, ["interactive dashboard"], "By Summer 2025"),
    ("test", P, "due_when", "When will the Connect 4 findings be available?", [], True, ["Connect 4"], "findings of the Connect 4 project"),
    ("test", P, "who_must_act", "What will happen with the responses to the Census consultation?", [], True, ["care experience"], "The responses to the 2025 Census consultation"),
    ("test", P, "who_must_act", "What does The Promise Scotland have to do?", [], True, ["Promise Scotland"], "The Promise Scotland"),
    ("test", P, "who_must_act", "What did the 2024 route map commit on the Local Government Data Platform?", [], True, ["phase 2"], "phase 2 of the Local Government Data Platform"),
    ("test", P, "who_must_act", "What did the 2024 route map say about the Equality Evidence Strategy?", [], True, ["45 actions"], "Work on the 45 actions"),
    ("test", P, "who_must_act", "Who needs to work on improving data on care leavers?", [], True, ["Scottish Government"], "The improvements to data on care leavers"),
    ("test", P, "who_must_act", "Who needs to work on the Story of Progress?", [], True, ["COSLA"], "Story of Progress"),
    ("test", P, "due_when", "When will the full business case for the Common Data Platform be shared?", [], True, ["end 2026"], "By end 2026 the full business case"),
    # ---- newcomers: the framework
    ("dev", N, "what_is", "What is CLAS?", [], True, ["Children Looked After Statistics"], "Children Looked After Statistics (CLAS)"),
    ("dev", N, "what_is", "What is the Story of Progress for?", [], True, ["understanding"], "The Story of Progress is for understanding"),
    ("dev", N, "what_is", "What are the What Matters questions?", [], True, ["Independent Care Review"], "What Matters questions"),
    ("dev", N, "what_is", "What is GIRFEC?", [], True, ["Getting it right for every child"], "Getting it right for every child"),
    ("dev", N, "what_is", "What does SHANARRI stand for?", [], True, ["safe, healthy, achieving"], "SHANARRI"),
    ("dev", N, "what_is", "What is CHaMP?", [], True, ["Public Health Scotland"], "Children's Health and Monitoring the Promise"),
    ("dev", N, "what_is", "What is a Trusted Research Environment?", [], True, ["safe haven"], "Trusted Research Environment (TRE)"),
    ("dev", N, "what_is", "What is Plan 24-30?", [], True, ["25 route maps"], "Plan 24-30:"),
    ("dev", N, "what_is", "What is the Promise Progress Framework?", [], True, ["indicator"], "Promise Progress Framework"),
    ("dev", N, "what_is", "What is COSLA?", [], True, ["Convention of Scottish Local Authorities"], "COSLA"),
    ("dev", N, "what_is", "What is the LGDP?", [], True, ["Improvement Service"], "Local Government Data Platform (LGDP)"),
    ("dev", N, "what_is", "What is corporate parenting?", [], True, ["2014"], "Corporate parent"),
    ("test", N, "what_is", "What is the UNCRC?", [], True, ["Rights of the Child"], "United Nations Convention on the Rights of the Child"),
    ("test", N, "what_is", "What is SCRA?", [], True, ["Children's Reporter"], "Scottish Children's Reporter Administration (SCRA)"),
    ("test", N, "what_is", "What does PBPP stand for?", [], True, ["Public Benefit and Privacy Panel"], "Public Benefit and Privacy Panel"),
    ("test", N, "what_is", "What is the Promise Data Map?", [], True, ["The Promise Scotland"], "Promise Data Map"),
    ("test", N, "what_is", "What is the Five Safes framework?", [], True, ["safe people"], "Five Safes"),
    ("test", N, "what_is", "What is kinship care?", [], True, ["relatives or friends"], "Kinship care:"),
    ("test", N, "what_is", "What is continuing care?", [], True, ["continued placement"], "Continuing care and aftercare"),
    ("test", N, "what_is", "What are the five foundations?", [], True, ["voice, family, care, people and scaffolding"], "Five foundations"),
    ("test", N, "what_is", "What is the Promise Collective?", [], True, ["2022"], "Promise Collective"),
    ("test", N, "what_is", "What is SIMD?", [], True, ["deprivation"], "Scottish Index of Multiple Deprivation"),
    ("test", N, "what_is", "Who are Who Cares? Scotland?", [], True, ["advocacy"], "Who Cares? Scotland"),
    ("test", N, "what_is", "What was the Independent Care Review?", [], True, ["5,500"], "Independent Care Review (ICR)"),
    ("test", N, "what_is", "What is eDRIS?", [], True, ["research data service"], "eDRIS:"),
    ("test", N, "what_is", "What does the Promise Oversight Board do?", [], True, ["reports publicly"], "Promise Oversight Board"),
    ("test", N, "what_is", "What is Connect 4?", [], True, ["trusted research environments"], "Connect 4:"),
    ("test", N, "what_is", "What is the National Performance Framework?", [], True, ["national outcomes"], "National Performance Framework (NPF)"),
    ("test", N, "what_is", "What is the Promise Data and Evidence Group?", [], True, ["analysts"], "Promise Data and Evidence Group (DEG)"),
    # ---- follow-ups
    ("dev", P, "followup", "Who leads it?", ["What is CHaMP?"], True, ["Public Health Scotland"], "CHaMP"),
    ("dev", W, "followup", "How do I get access to it?", ["Tell me about the Looked After Children Longitudinal Dataset"], True, ["secure access"], "Not open data: apply for secure access"),
    ("dev", P, "followup", "Who needs to work on it?", ["What is the Common Data Platform?"], True, ["Prevention Hub"], "By end 2026 the full business case"),
    ("dev", W, "followup", "How often are they published?", ["Who holds the SCRA Official Statistics?"], True, ["financial year"], "Dataset: SCRA Official Statistics"),
    ("test", W, "followup", "Who runs it?", ["What is DataLoch?"], True, ["NHS Lothian"], "Dataset: DataLoch"),
    ("test", W, "followup", "How often is it updated?", ["What is the Promise Progress Framework?"], True, ["Rolling updates"], "Dataset: The Promise Progress Framework dashboard"),
    ("test", W, "followup", "How do I access that dataset?", ["What is Growing Up in Scotland?"], True, ["UK Data Service"], "Dataset: Growing Up in Scotland"),
    ("test", P, "followup", "Who is involved in it?", ["Tell me about the Microsoft 365 roll-out"], True, ["COSLA"], "By March 2027"),
    ("test", W, "followup", "Who publishes it?", ["What is EOLAC?"], True, ["Scottish Government"], "Dataset: Education Outcomes for Looked After Children"),
    ("test", W, "followup", "Who holds that data?", ["What is the Health and Wellbeing Census?"], True, ["data controller"], "Dataset: Health and Wellbeing Census"),
    # ---- out of scope: the corpus cannot answer
    ("dev", N, "out_of_scope", "What is the budget of the Promise Data Map?", [], False, [], ""),
    ("dev", N, "out_of_scope", "What is the weather in Glasgow tomorrow?", [], False, [], ""),
    ("dev", W, "out_of_scope", "How many children are in foster care in Aberdeen?", [], False, [], ""),
    ("dev", N, "out_of_scope", "Who is the chief executive of COSLA?", [], False, [], ""),
    ("dev", W, "out_of_scope", "What is the salary of a social worker in Scotland?", [], False, [], ""),
    ("dev", N, "out_of_scope", "How do I apply for a passport?", [], False, [], ""),
    ("dev", P, "out_of_scope", "What did the Oversight Board's Report FOUR conclude?", [], False, [], ""),
    ("dev", W, "out_of_scope", "What is the phone number of Public Health Scotland?", [], False, [], ""),
    ("test", P, "out_of_scope", "What is the budget of the CHaMP project?", [], False, [], ""),
    ("test", N, "out_of_scope", "How many staff does The Promise Scotland employ?", [], False, [], ""),
    ("test", N, "out_of_scope", "What is the capital of France?", [], False, [], ""),
    ("test", N, "out_of_scope", "Which football team won the Scottish Cup?", [], False, [], ""),
    ("test", P, "out_of_scope", "How much funding does the Scottish Prevention Hub receive?", [], False, [], ""),
    ("test", W, "out_of_scope", "What is the population of Dundee?", [], False, [], ""),
    ("test", N, "out_of_scope", "Who is the First Minister of Scotland?", [], False, [], ""),
    ("test", W, "out_of_scope", "What is the password for the Data Hub?", [], False, [], ""),
    ("test", W, "out_of_scope", "How many beds does the Rossie secure unit have?", [], False, [], ""),
    ("test", N, "out_of_scope", "What recipe do you recommend for dinner?", [], False, [], ""),
    ("test", P, "out_of_scope", "What is The Promise Scotland's annual turnover?", [], False, [], ""),
    ("test", W, "out_of_scope", "Which local authority has the most foster carers?", [], False, [], ""),
]


def main() -> None:
    out = Path(__file__).with_name("questions.jsonl")
    counters: dict[str, int] = {}
    with out.open("w", encoding="utf-8") as f:
        for split, group, intent, q, conv, answerable, facts, src in Q:
            counters[split] = counters.get(split, 0) + 1
            row = {"id": f"{split}-{counters[split]:03d}", "split": split, "group": group, "intent": intent,
                   "question": q, "conversation": conv, "answerable": answerable, "key_facts": facts,
                   "expected_source": src}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{sum(counters.values())} questions: {counters}")


if __name__ == "__main__":
    main()
